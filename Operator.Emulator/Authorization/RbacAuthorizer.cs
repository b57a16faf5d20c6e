// kube-apiserver's RBAC authorizer over the emulator's own store. A request is allowed when the user is in
// system:masters (the privileged group the server allows before any authorizer), or when some rule of a role
// bound to the user allows it:
//   - ClusterRoleBindings grant their ClusterRole's rules everywhere;
//   - RoleBindings grant their Role's (or ClusterRole's) rules only for requests in the binding's namespace.
// A binding applies to a user through a User subject of its name, a Group subject of one of its groups, or a
// ServiceAccount subject whose namespace (defaulting to a RoleBinding's own) and name make its user name. A binding
// whose role does not exist grants nothing. Invariant: decisions read one store snapshot; the parsed policy is
// rebuilt only when one of the four RBAC collections changed since the last decision.
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Authorization;

/// <summary>Allows what RBAC objects in the store grant.</summary>
public sealed class RbacAuthorizer(ObjectStore store) : IAuthorizer
{
    public const string Group = "rbac.authorization.k8s.io";

    private static readonly GroupResource Roles = new(Group, "roles");
    private static readonly GroupResource ClusterRoles = new(Group, "clusterroles");
    private static readonly GroupResource RoleBindings = new(Group, "rolebindings");
    private static readonly GroupResource ClusterRoleBindings = new(Group, "clusterrolebindings");

    private volatile PolicySnapshot? policy;

    public AuthorizationDecision Authorize(AuthorizationAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.User.Groups.Contains(UserInfo.MastersGroup))
        {
            return AuthorizationDecision.Allow(request, $"member of {UserInfo.MastersGroup}");
        }

        var current = Policy(store.Snapshot);
        foreach (var binding in current.ClusterBindings)
        {
            if (binding.AppliesTo(request.User) && current.RulesOf(binding, bindingNamespace: null).Any(rule => rule.Allows(request)))
            {
                return AuthorizationDecision.Allow(request, $"ClusterRoleBinding {binding.Name} of {binding.RoleKind} {binding.RoleName}");
            }
        }

        if (request.Namespace is { Length: > 0 } inNamespace && current.NamespaceBindings.TryGetValue(inNamespace, out var bindings))
        {
            foreach (var binding in bindings)
            {
                if (binding.AppliesTo(request.User) && current.RulesOf(binding, inNamespace).Any(rule => rule.Allows(request)))
                {
                    return AuthorizationDecision.Allow(request, $"RoleBinding {inNamespace}/{binding.Name} of {binding.RoleKind} {binding.RoleName}");
                }
            }
        }

        return AuthorizationDecision.Deny(request);
    }

    private PolicySnapshot Policy(StoreSnapshot snapshot)
    {
        var collections = new[] { Roles, ClusterRoles, RoleBindings, ClusterRoleBindings }
            .Select(type => snapshot.Collections.TryGetValue(type, out var collection) ? collection : null)
            .ToArray();
        var known = policy;
        if (known is not null && known.Sources.SequenceEqual(collections, ReferenceEqualityComparer.Instance))
        {
            return known;
        }

        var built = PolicySnapshot.Build(collections);
        policy = built;
        return built;
    }

    /// <summary>The RBAC objects of one snapshot, parsed.</summary>
    private sealed class PolicySnapshot
    {
        private PolicySnapshot(object?[] sources) => Sources = sources;

        public object?[] Sources { get; }

        public List<Binding> ClusterBindings { get; } = [];

        public Dictionary<string, List<Binding>> NamespaceBindings { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, IReadOnlyList<PolicyRule>> ClusterRoleRules { get; } = new(StringComparer.Ordinal);

        private Dictionary<(string Namespace, string Name), IReadOnlyList<PolicyRule>> RoleRules { get; } = [];

        public IReadOnlyList<PolicyRule> RulesOf(Binding binding, string? bindingNamespace) => binding.RoleKind switch
        {
            "ClusterRole" => ClusterRoleRules.TryGetValue(binding.RoleName, out var rules) ? rules : [],
            "Role" when bindingNamespace is not null => RoleRules.TryGetValue((bindingNamespace, binding.RoleName), out var rules) ? rules : [],
            _ => [],
        };

        public static PolicySnapshot Build(ImmutableSortedDictionary<ObjectKey, StoredObject>?[] collections)
        {
            var built = new PolicySnapshot(collections);
            var (roles, clusterRoles, roleBindings, clusterRoleBindings) = (collections[0], collections[1], collections[2], collections[3]);
            foreach (var (key, stored) in roles ?? ImmutableSortedDictionary<ObjectKey, StoredObject>.Empty)
            {
                built.RoleRules[(key.Namespace, key.Name)] = PolicyRule.RulesOf(stored.ToJsonObject());
            }

            foreach (var (key, stored) in clusterRoles ?? ImmutableSortedDictionary<ObjectKey, StoredObject>.Empty)
            {
                built.ClusterRoleRules[key.Name] = PolicyRule.RulesOf(stored.ToJsonObject());
            }

            foreach (var (key, stored) in clusterRoleBindings ?? ImmutableSortedDictionary<ObjectKey, StoredObject>.Empty)
            {
                built.ClusterBindings.Add(Binding.Parse(key.Name, null, stored.ToJsonObject()));
            }

            foreach (var (key, stored) in roleBindings ?? ImmutableSortedDictionary<ObjectKey, StoredObject>.Empty)
            {
                if (!built.NamespaceBindings.TryGetValue(key.Namespace, out var list))
                {
                    built.NamespaceBindings[key.Namespace] = list = [];
                }

                list.Add(Binding.Parse(key.Name, key.Namespace, stored.ToJsonObject()));
            }

            return built;
        }
    }

    /// <summary>A RoleBinding (Namespace set) or ClusterRoleBinding: its role and subjects.</summary>
    private sealed record Binding(string Name, string? Namespace, string RoleKind, string RoleName, IReadOnlyList<(string Kind, string Name, string? Namespace)> Subjects)
    {
        public static Binding Parse(string name, string? inNamespace, JsonObject binding)
        {
            var subjects = (binding["subjects"] as JsonArray ?? [])
                .Select(s => (Kind: Text(s?["kind"]), Name: Text(s?["name"]), Namespace: Text(s?["namespace"]) is { Length: > 0 } ns ? ns : null))
                .ToList();
            return new Binding(name, inNamespace, Text(binding["roleRef"]?["kind"]), Text(binding["roleRef"]?["name"]), subjects);
        }

        public bool AppliesTo(UserInfo user) => Subjects.Any(subject => subject.Kind switch
        {
            "User" => subject.Name == user.Name,
            "Group" => user.Groups.Contains(subject.Name),
            "ServiceAccount" => (subject.Namespace ?? Namespace) is { Length: > 0 } ns && user.Name == $"{UserInfo.ServiceAccountPrefix}{ns}:{subject.Name}",
            _ => false,
        });

        private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
    }
}
