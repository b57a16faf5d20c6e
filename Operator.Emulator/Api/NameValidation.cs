using System.Text.RegularExpressions;

namespace Operator.Emulator.Api;

/// <summary>Kubernetes object-name rules: DNS-1123 subdomains, and DNS-1123 labels for namespaces.</summary>
public static partial class NameValidation
{
    /// <summary>The reason <paramref name="name"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string name, bool mustBeLabel)
    {
        if (mustBeLabel)
        {
            return name.Length <= 63 && Label().IsMatch(name)
                ? null
                : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
        }

        return name.Length <= 253 && Subdomain().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
