using System.Globalization;
using System.Text;

namespace Operator.Emulator.Hosting;

/// <summary>
/// Writes a kubeconfig that names its user twice: as the bearer token (sent by KubernetesClient) and as the user to
/// impersonate (client-go, hence kubectl, sends no bearer token to a plain-HTTP server but does send Impersonate-User).
/// </summary>
public static class KubeconfigWriter
{
    public static string Render(Uri server, string user, string defaultNamespace = "default")
    {
        if (user.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\'))
        {
            throw new ArgumentException("A user name must not contain whitespace, quotes or backslashes.", nameof(user));
        }

        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("clusters:");
        text.AppendLine("- name: emulator");
        text.AppendLine("  cluster:");
        text.AppendLine(CultureInfo.InvariantCulture, $"    server: {server.GetLeftPart(UriPartial.Authority)}");
        // The server is plain HTTP; client libraries that refuse http:// without this flag (client-node) then accept it.
        text.AppendLine("    insecure-skip-tls-verify: true");
        text.AppendLine("contexts:");
        text.AppendLine("- name: emulator");
        text.AppendLine("  context:");
        text.AppendLine("    cluster: emulator");
        text.AppendLine(CultureInfo.InvariantCulture, $"    user: \"{user}\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"    namespace: {defaultNamespace}");
        text.AppendLine("current-context: emulator");
        text.AppendLine("preferences: {}");
        text.AppendLine("users:");
        text.AppendLine(CultureInfo.InvariantCulture, $"- name: \"{user}\"");
        text.AppendLine("  user:");
        text.AppendLine(CultureInfo.InvariantCulture, $"    token: \"{user}\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"    as: \"{user}\"");
        return text.ToString();
    }
}
