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

    /// <summary>
    /// Why <paramref name="name"/> is not acceptable, one message per failed check in kube-apiserver's words (a length
    /// message and a format message can both apply); empty when it is.
    /// </summary>
    public static IReadOnlyList<string> Problems(string name, NameRule rule)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (rule == NameRule.PathSegment)
        {
            string? problem = name switch
            {
                "." => "may not be '.'",
                ".." => "may not be '..'",
                _ when name.Contains('/', StringComparison.Ordinal) => "may not contain '/'",
                _ when name.Contains('%', StringComparison.Ordinal) => "may not contain '%'",
                _ => null,
            };
            return problem is null ? [] : [problem];
        }

        var problems = new List<string>();
        if (rule == NameRule.Label)
        {
            if (name.Length > 63)
            {
                problems.Add("must be no more than 63 characters");
            }

            if (!Label().IsMatch(name))
            {
                problems.Add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
            }

            return problems;
        }

        if (name.Length > 253)
        {
            problems.Add("must be no more than 253 characters");
        }

        if (!Subdomain().IsMatch(name))
        {
            problems.Add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
