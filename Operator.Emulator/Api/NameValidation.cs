using System.Text.RegularExpressions;

namespace Operator.Emulator.Api;

/// <summary>Which rule a kind's object names follow.</summary>
public enum NameRule
{
    /// <summary>A DNS-1123 subdomain: most kinds.</summary>
    Subdomain,

    /// <summary>A DNS-1123 label: namespaces.</summary>
    Label,

    /// <summary>Any name usable as one URL path segment: RBAC roles and bindings ("system:discovery").</summary>
    PathSegment,
}

/// <summary>Kubernetes object-name rules: DNS-1123 subdomains, DNS-1123 labels for namespaces, path segments for RBAC.</summary>
public static partial class NameValidation
{
    /// <summary>The rule kube-apiserver validates names of <paramref name="group"/>/<paramref name="resource"/> by.</summary>
    public static NameRule RuleFor(string group, string resource) => (group, resource) switch
    {
        ("", "namespaces") => NameRule.Label,
        ("rbac.authorization.k8s.io", _) => NameRule.PathSegment,
        _ => NameRule.Subdomain,
    };

    /// <summary>The reason <paramref name="name"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string name, NameRule rule)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (rule == NameRule.PathSegment)
        {
            return name switch
            {
                "." => "may not be '.'",
                ".." => "may not be '..'",
                _ when name.Contains('/', StringComparison.Ordinal) => "may not contain '/'",
                _ when name.Contains('%', StringComparison.Ordinal) => "may not contain '%'",
                _ => null,
            };
        }

        if (rule == NameRule.Label)
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
