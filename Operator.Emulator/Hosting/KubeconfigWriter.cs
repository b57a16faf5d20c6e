using System.Globalization;
using System.Text;

namespace Operator.Emulator.Hosting;

/// <summary>
/// Writes a kubeconfig that names its user twice: as the bearer token (sent by KubernetesClient) and as the user to
/// impersonate, with its groups (client-go, hence kubectl, sends no bearer token to a plain-HTTP server but does send
/// Impersonate-User and Impersonate-Group).
/// </summary>
public static class KubeconfigWriter
{
    public static string Render(Uri server, string user, IReadOnlyList<string>? groups = null, string defaultNamespace = "default")
    {
        groups ??= [];
        foreach (var name in groups.Prepend(user))
        {
            if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\'))
            {
                throw new ArgumentException($"A user or group name must be non-empty, without whitespace, quotes or backslashes: '{name}'.", nameof(user));
            }
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
        if (groups.Count > 0)
        {
            text.AppendLine("    as-groups:");
            foreach (var group in groups)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    - \"{group}\"");
            }
        }

        return text.ToString();
    }
}
