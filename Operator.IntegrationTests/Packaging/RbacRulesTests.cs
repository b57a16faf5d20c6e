namespace Operator.IntegrationTests.Packaging;

public sealed class RbacRulesTests
{
    private const string Fixture = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: reader
        rules:
          - apiGroups: ["apps"]
            resources: ["deployments"]
            verbs: ["get", "list"]
          - apiGroups: ["example.com"]
            resources: ["*/status"]
            verbs: ["patch"]
          - apiGroups: [""]
            resources: ["configmaps"]
            resourceNames: ["settings"]
            verbs: ["get"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: reader
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
        subjects:
          - {kind: ServiceAccount, name: app, namespace: system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: leases
          namespace: system
        rules:
          - apiGroups: ["coordination.k8s.io"]
            resources: ["leases"]
            verbs: ["*"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: leases
          namespace: system
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: leases}
        subjects:
          - {kind: ServiceAccount, name: app, namespace: system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: unbound
        rules:
          - apiGroups: ["*"]
            resources: ["*"]
            verbs: ["*"]
        """;

    private static RbacRules Rules => RbacRules.ForServiceAccount(ManifestSet.Parse(Fixture), "system", "app");

    [Test]
    public void ClusterRoleRulesApplyInEveryNamespace()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rules.Allows("list", "apps", "deployments", null), Is.True);
            Assert.That(Rules.Allows(new RbacRequest("get", "apps", "deployments", Namespace: "team-a", Name: "web")), Is.True);
            Assert.That(Rules.Allows(new RbacRequest("list", "apps", "deployments")), Is.True, "cluster-wide list");
        });
    }

    [Test]
    public void VerbGroupAndResourceMustAllMatch()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rules.Allows("watch", "apps", "deployments", null), Is.False, "verb");
            Assert.That(Rules.Allows("get", "extensions", "deployments", null), Is.False, "group");
            Assert.That(Rules.Allows("get", "apps", "statefulsets", null), Is.False, "resource");
            Assert.That(Rules.Allows("get", "apps", "deployments", "scale"), Is.False, "a subresource needs its own rule");
        });
    }

    [Test]
    public void StarSlashSubresourceMatchesThatSubresourceOfAnyResource()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rules.Allows("patch", "example.com", "widgets", "status"), Is.True);
            Assert.That(Rules.Allows("patch", "example.com", "widgets", null), Is.False);
            Assert.That(Rules.Allows("patch", "example.com", "widgets", "scale"), Is.False);
        });
    }

    [Test]
    public void ResourceNamesRestrictToNamedRequests()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rules.Allows(new RbacRequest("get", "", "configmaps", Namespace: "x", Name: "settings")), Is.True);
            Assert.That(Rules.Allows(new RbacRequest("get", "", "configmaps", Namespace: "x", Name: "other")), Is.False);
            Assert.That(Rules.Allows("get", "", "configmaps", null), Is.False, "no name: a named rule does not match");
        });
    }

    [Test]
    public void RoleRulesApplyOnlyInTheRoleNamespace()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rules.Allows(new RbacRequest("update", "coordination.k8s.io", "leases", Namespace: "system", Name: "lock")), Is.True);
            Assert.That(Rules.Allows(new RbacRequest("update", "coordination.k8s.io", "leases", Namespace: "default", Name: "lock")), Is.False);
            Assert.That(Rules.Allows(new RbacRequest("list", "coordination.k8s.io", "leases")), Is.False, "not across all namespaces");
            Assert.That(Rules.Allows("create", "coordination.k8s.io", "leases", null), Is.True, "somewhere");
        });
    }

    [Test]
    public void RolesNotBoundToTheAccountGrantNothing()
    {
        var other = RbacRules.ForServiceAccount(ManifestSet.Parse(Fixture), "system", "someone-else");
        Assert.Multiple(() =>
        {
            Assert.That(other.Grants, Is.Empty);
            Assert.That(Rules.Allows("delete", "", "pods", null), Is.False, "the unbound wildcard role is not counted");
            Assert.That(Rules.Grants.Select(g => g.RoleName).Distinct(), Is.EquivalentTo(new[] { "reader", "leases" }));
        });
    }

    [Test]
    public void GrantsListTheirPermissions()
    {
        var deployments = Rules.Grants.Single(g => g.Rule.Resources.Contains("deployments"));
        Assert.That(deployments.Permissions, Is.EquivalentTo(new[] { ("get", "apps", "deployments"), ("list", "apps", "deployments") }));
    }

    [Test]
    public void ABindingToAMissingRoleIsAnError()
    {
        var yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: dangling}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: missing}
            subjects: [{kind: ServiceAccount, name: app, namespace: system}]
            """;
        Assert.That(() => RbacRules.ForServiceAccount(ManifestSet.Parse(yaml), "system", "app"), Throws.InvalidOperationException.With.Message.Contains("missing"));
    }
}
