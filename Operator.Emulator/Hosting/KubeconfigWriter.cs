using System.Globalization;
using System.Text;

namespace Operator.Emulator.Hosting;

/// <summary>Writes a kubeconfig whose bearer token is the user name (the emulator's way to tell callers apart).</summary>
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
        return text.ToString();
    }
}
