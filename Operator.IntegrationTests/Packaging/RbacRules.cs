// The permissions the shipped RBAC manifests grant the operator's service account, evaluated the way the
// Kubernetes RBAC authorizer does for resource requests: a request is allowed when some rule of a role bound to
// the account matches its verb, API group, resource (with subresource as "resource/subresource"), name and
// namespace. Invariants: a Role's rules apply only in the Role's namespace, a ClusterRole's everywhere (through a
// ClusterRoleBinding) or in one namespace (through a RoleBinding); a rule itself is matched by the emulator's
// PolicyRule, the same code its RBAC authorizer enforces ("*", "*/sub", resourceNames never matching a request
// without a name). Roles not bound to the account grant nothing. Non-resource URLs are not modelled: the
// operator only calls discovery, which the default system:discovery role allows.
using Operator.Emulator.Authorization;

namespace Operator.IntegrationTests.Packaging;

/// <summary>A resource request as the authorizer sees it.</summary>
internal sealed record RbacRequest(string Verb, string Group, string Resource, string? Subresource = null, string? Namespace = null, string? Name = null)
{
    public string CombinedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{CombinedResource}{(Name is null ? "" : " " + Name)}{(Namespace is null ? " (all namespaces)" : " in " + Namespace)}";
}

/// <summary>One rule and where it applies: <see cref="Namespace"/> null means cluster-wide.</summary>
internal sealed record RbacGrant(string RoleKind, string RoleName, string? Namespace, V1PolicyRule Rule)
{
    private static readonly UserInfo Anyone = new("rbac-rules", []);

    public bool Matches(RbacRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Namespace is not null && request.Namespace != Namespace)
        {
            return false;
        }

        // The rule itself is matched by the emulator's RBAC rule, the one its authorizer enforces.
        var rule = new PolicyRule([.. Rule.Verbs ?? []], [.. Rule.ApiGroups ?? []], [.. Rule.Resources ?? []], [.. Rule.ResourceNames ?? []], [.. Rule.NonResourceURLs ?? []]);
        return rule.Allows(new AuthorizationAttributes(Anyone, request.Verb, true, string.Empty, request.Group, string.Empty, request.Resource, request.Subresource, request.Namespace, request.Name));
    }

    /// <summary>Every (verb, group, resource) this rule names, for listing and for spotting unneeded grants.</summary>
    public IEnumerable<(string Verb, string Group, string Resource)> Permissions =>
        from verb in Rule.Verbs ?? []
        from @group in Rule.ApiGroups ?? []
        from resource in Rule.Resources ?? []
        select (verb, @group, resource);

    public override string ToString() =>
        $"{RoleKind} {RoleName}{(Namespace is null ? "" : " in " + Namespace)}: {string.Join(",", Rule.Verbs ?? [])} {string.Join(",", (Rule.ApiGroups ?? []).Select(g => g.Length == 0 ? "core" : g))}/{string.Join(",", Rule.Resources ?? [])}";
}

/// <summary>What the shipped ClusterRoles and Roles allow one service account.</summary>
internal sealed class RbacRules
{
    private RbacRules(IReadOnlyList<RbacGrant> grants) => Grants = grants;

    /// <summary>Every rule that applies to the account, with where it applies.</summary>
    public IReadOnlyList<RbacGrant> Grants { get; }

    /// <summary>Loads the roles bound to <paramref name="serviceAccountNamespace"/>/<paramref name="serviceAccountName"/>.</summary>
    public static RbacRules ForServiceAccount(ManifestSet manifests, string serviceAccountNamespace, string serviceAccountName)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var clusterRoles = manifests.Of<V1ClusterRole>().ToDictionary(r => r.Metadata.Name, StringComparer.Ordinal);
        var roles = manifests.Of<V1Role>().ToDictionary(r => (r.Metadata.NamespaceProperty, r.Metadata.Name));
        bool BindsAccount(IList<Rbacv1Subject>? subjects) => (subjects ?? []).Any(s =>
            s.Kind == "ServiceAccount" && s.Name == serviceAccountName && s.NamespaceProperty == serviceAccountNamespace);

        var grants = new List<RbacGrant>();
        foreach (var binding in manifests.Of<V1ClusterRoleBinding>().Where(b => BindsAccount(b.Subjects)))
        {
            var role = binding.RoleRef.Kind == "ClusterRole" && clusterRoles.TryGetValue(binding.RoleRef.Name, out var found)
                ? found
                : throw new InvalidOperationException($"ClusterRoleBinding {binding.Metadata.Name} refers to {binding.RoleRef.Kind} {binding.RoleRef.Name}, which is not shipped.");
            grants.AddRange((role.Rules ?? []).Select(rule => new RbacGrant("ClusterRole", role.Metadata.Name, null, rule)));
        }

        foreach (var binding in manifests.Of<V1RoleBinding>().Where(b => BindsAccount(b.Subjects)))
        {
            var @namespace = binding.Metadata.NamespaceProperty ?? throw new InvalidOperationException($"RoleBinding {binding.Metadata.Name} has no namespace.");
            IEnumerable<V1PolicyRule> rules = binding.RoleRef.Kind switch
            {
                "Role" when roles.TryGetValue((@namespace, binding.RoleRef.Name), out var role) => role.Rules ?? [],
                "ClusterRole" when clusterRoles.TryGetValue(binding.RoleRef.Name, out var clusterRole) => clusterRole.Rules ?? [],
                _ => throw new InvalidOperationException($"RoleBinding {@namespace}/{binding.Metadata.Name} refers to {binding.RoleRef.Kind} {binding.RoleRef.Name}, which is not shipped in that namespace."),
            };
            grants.AddRange(rules.Select(rule => new RbacGrant(binding.RoleRef.Kind, binding.RoleRef.Name, @namespace, rule)));
        }

        return new RbacRules(grants);
    }

    /// <summary>Allowed somewhere: by a cluster-wide rule or by a Role in any namespace.</summary>
    public bool Allows(string verb, string group, string resource, string? subresource) =>
        Grants.Any(g => g.Matches(new RbacRequest(verb, group, resource, subresource, g.Namespace)));

    /// <summary>Allowed for exactly this request (namespace null: across all namespaces).</summary>
    public bool Allows(RbacRequest request) => Grants.Any(g => g.Matches(request));

    /// <summary>The grants that allow <paramref name="request"/>; empty when it is denied.</summary>
    public IEnumerable<RbacGrant> GrantsAllowing(RbacRequest request) => Grants.Where(g => g.Matches(request));
}
