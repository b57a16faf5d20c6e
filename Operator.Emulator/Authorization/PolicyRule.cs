// One rule of a Role or ClusterRole, matched as kube-apiserver's RBAC authorizer matches it:
//   - resource requests: verb, API group, resource ("resource/subresource" for a subresource), resource name;
//     "*" matches any verb, group or resource, "*/sub" any resource's subresource sub; a rule listing
//     resourceNames matches only requests that carry one of those names (never a list, watch or create).
//   - non-resource requests: verb and nonResourceURLs, where "*" matches any path and a trailing "*" a prefix.
using System.Text.Json.Nodes;

namespace Operator.Emulator.Authorization;

/// <summary>An rbac.authorization.k8s.io/v1 PolicyRule.</summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    public static PolicyRule Parse(JsonNode? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]), Strings(rule?["resourceNames"]), Strings(rule?["nonResourceURLs"]));

    /// <summary>The rules of a Role or ClusterRole object.</summary>
    public static IReadOnlyList<PolicyRule> RulesOf(JsonObject role) =>
        role["rules"] is JsonArray rules ? [.. rules.Select(Parse)] : [];

    public bool Allows(AuthorizationAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Verbs.Any(v => v == "*" || v == request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        return ApiGroups.Any(g => g == "*" || g == request.Group)
            && Resources.Any(r => r == "*" || r == request.CombinedResource || (request.Subresource is not null && r == "*/" + request.Subresource))
            && (ResourceNames.Count == 0 || (request.Name is { Length: > 0 } name && ResourceNames.Contains(name)));
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(item => item is JsonValue value && value.TryGetValue<string>(out var text) ? text : null).OfType<string>()] : [];
}
