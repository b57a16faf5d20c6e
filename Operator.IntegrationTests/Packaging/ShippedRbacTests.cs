// The shipped RBAC (deploy/ for kubectl and kustomize, the chart for Helm) grants exactly what the operator
// needs: server-side apply (patch, and create for an apply that creates) and delete on its children, reads of
// Celery resources, status patches, events, and the leader Lease in its own namespace only.
namespace Operator.IntegrationTests.Packaging;

public sealed class ShippedRbacTests
{
    private const string OperatorNamespace = "celery-operator-system";

    private static readonly string[] ChildResources =
        ["apps/deployments", "/services", "/persistentvolumeclaims", "networking.k8s.io/ingresses", "policy/poddisruptionbudgets", "autoscaling/horizontalpodautoscalers", "keda.sh/scaledobjects", "keda.sh/triggerauthentications", "monitoring.coreos.com/servicemonitors"];

    private static RbacRules DeployRules() => RbacRules.ForServiceAccount(
        ManifestSet.Load(
            RepositoryRoot.File("deploy/operator/cluster-role.yaml"),
            RepositoryRoot.File("deploy/operator/cluster-role-binding.yaml"),
            RepositoryRoot.File("deploy/operator/leader-election-role.yaml")),
        OperatorNamespace,
        "celery-operator");

    [Test]
    public void ChildrenAreAppliedReadAndDeletedButNeverUpdated()
    {
        var rules = DeployRules();
        Assert.Multiple(() =>
        {
            foreach (var (group, resource) in ChildResources.Select(Split))
            {
                // An apply that creates its object is authorized as create as well as patch.
                foreach (var verb in new[] { "get", "list", "watch", "create", "patch", "delete" })
                {
                    Assert.That(rules.Allows(new RbacRequest(verb, group, resource)), Is.True, $"{verb} {group}/{resource}");
                }

                foreach (var verb in new[] { "update", "deletecollection" })
                {
                    Assert.That(rules.Allows(verb, group, resource, null), Is.False, $"{verb} {group}/{resource} is never sent");
                }
            }
        });
    }

    [Test]
    public void TheBuiltinScalerPatchesOnlyTheDeploymentScaleSubresource()
    {
        var rules = DeployRules();
        Assert.Multiple(() =>
        {
            Assert.That(rules.Allows(new RbacRequest("patch", "apps", "deployments", "scale", "team-a", "shop-worker-default")), Is.True);
            Assert.That(rules.Allows("update", "apps", "deployments", "scale"), Is.False, "the scaler patches, never PUTs");
            Assert.That(rules.Allows("get", "apps", "deployments", "scale"), Is.False, "it reads replicas from its Deployment cache");
        });
    }

    [Test]
    public void CeleryResourcesAreReadAndOnlyTheirStatusIsWritten()
    {
        var rules = DeployRules();
        Assert.Multiple(() =>
        {
            Assert.That(rules.Allows(new RbacRequest("watch", "celeryproject.org", "celeries")), Is.True);
            Assert.That(rules.Allows(new RbacRequest("patch", "celeryproject.org", "celeries", "status", "team-a", "hello")), Is.True);
            Assert.That(rules.Allows("patch", "celeryproject.org", "celeries", null), Is.False, "the spec belongs to users");
            Assert.That(rules.Allows("update", "celeryproject.org", "celeries", "status"), Is.False);
            Assert.That(rules.Allows("delete", "celeryproject.org", "celeries", null), Is.False);
        });
    }

    [Test]
    public void SecretsEventsAndNothingElseInTheCoreGroup()
    {
        var rules = DeployRules();
        Assert.Multiple(() =>
        {
            Assert.That(rules.Allows(new RbacRequest("list", "", "secrets")), Is.True);
            Assert.That(rules.Allows(new RbacRequest("patch", "", "secrets", Namespace: "team-a", Name: "hello-keda-broker")), Is.True);
            Assert.That(rules.Allows(new RbacRequest("create", "", "secrets", Namespace: "team-a", Name: "hello-keda-broker")), Is.True, "the derived KEDA Secret is created by apply");
            Assert.That(rules.Allows("update", "", "secrets", null), Is.False);
            Assert.That(rules.Allows(new RbacRequest("create", "", "events", Namespace: "team-a")), Is.True);
            Assert.That(rules.Allows(new RbacRequest("patch", "", "events", Namespace: "team-a", Name: "e")), Is.True);
            Assert.That(rules.Allows("list", "", "events", null), Is.False);
            foreach (var resource in new[] { "pods", "configmaps", "namespaces", "nodes", "serviceaccounts" })
            {
                Assert.That(rules.Allows("get", "", resource, null), Is.False, resource);
            }

            Assert.That(rules.Allows("get", "apiextensions.k8s.io", "customresourcedefinitions", null), Is.False);
        });
    }

    [Test]
    public void TheLeaseIsReachableOnlyInTheOperatorNamespace()
    {
        var rules = DeployRules();
        Assert.Multiple(() =>
        {
            foreach (var verb in new[] { "get", "create", "update" })
            {
                Assert.That(rules.Allows(new RbacRequest(verb, "coordination.k8s.io", "leases", Namespace: OperatorNamespace, Name: "celery-operator")), Is.True, verb);
                Assert.That(rules.Allows(new RbacRequest(verb, "coordination.k8s.io", "leases", Namespace: "default", Name: "celery-operator")), Is.False, verb);
            }

            Assert.That(rules.Allows(new RbacRequest("delete", "coordination.k8s.io", "leases", Namespace: OperatorNamespace, Name: "celery-operator")), Is.False);
            Assert.That(rules.Allows(new RbacRequest("list", "coordination.k8s.io", "leases", Namespace: OperatorNamespace)), Is.False);
        });
    }

    [Test]
    public async Task PlainMetricsNeedNoReviewPermissionAndShipNoReaderRole()
    {
        var chart = await ManifestRenderer.HelmManifestsAsync("deploy/helm/celery-operator/ci/namespaced-values.yaml");
        var plain = await ManifestRenderer.HelmTemplateAsync(["deploy/helm/celery-operator/ci/namespaced-values.yaml"], "metrics.secure=false");
        var manifests = ManifestSet.Parse(plain.Output);
        Assert.Multiple(() =>
        {
            Assert.That(chart.Kinds, Does.Contain("ClusterRole"));
            Assert.That(manifests.Kinds, Does.Not.Contain("ClusterRole").And.Not.Contain("ClusterRoleBinding"));
            Assert.That(RbacRules.ForServiceAccount(manifests, "celery-operator", "celery-operator").Allows("create", "authentication.k8s.io", "tokenreviews", null), Is.False);
        });
    }

    [Test]
    public void NoWildcardsAnywhere()
    {
        var wildcards = DeployRules().Grants.Where(g =>
            (g.Rule.Verbs ?? []).Contains("*") || (g.Rule.ApiGroups ?? []).Contains("*") || (g.Rule.Resources ?? []).Any(r => r.Contains('*', StringComparison.Ordinal)));
        Assert.That(wildcards, Is.Empty);
    }

    [Test]
    public async Task TheChartClusterRoleGrantsWhatTheKustomizeOneGrants()
    {
        var chart = await ManifestRenderer.HelmManifestsAsync();
        var fromChart = RbacRules.ForServiceAccount(chart, "celery-operator", "celery-operator");
        Assert.That(PermissionSet(fromChart), Is.EquivalentTo(PermissionSet(DeployRules())));
    }

    [Test]
    public async Task WatchedNamespacesGetRolesAndNoClusterWidePermissionOnObjects()
    {
        var chart = await ManifestRenderer.HelmManifestsAsync("deploy/helm/celery-operator/ci/namespaced-values.yaml");
        var rules = RbacRules.ForServiceAccount(chart, "celery-operator", "celery-operator");
        Assert.Multiple(() =>
        {
            // The reviews of /metrics callers are cluster-scoped requests: the only cluster-wide grant, and it reads nothing.
            Assert.That(rules.Grants.Where(g => g.Namespace is null).SelectMany(g => g.Permissions),
                Is.EquivalentTo(new[] { ("create", "authentication.k8s.io", "tokenreviews"), ("create", "authorization.k8s.io", "subjectaccessreviews") }));
            Assert.That(rules.Grants.Select(g => g.Namespace).OfType<string>().Distinct(), Is.EquivalentTo(new[] { "team-a", "team-b", "celery-operator" }));
            Assert.That(rules.Allows(new RbacRequest("list", "apps", "deployments", Namespace: "team-a")), Is.True);
            Assert.That(rules.Allows(new RbacRequest("list", "apps", "deployments", Namespace: "team-c")), Is.False);
            Assert.That(rules.Allows(new RbacRequest("list", "apps", "deployments")), Is.False, "no list across all namespaces");
            Assert.That(rules.Allows(new RbacRequest("update", "coordination.k8s.io", "leases", Namespace: "celery-operator", Name: "celery-operator")), Is.True);
        });
    }

    private static (string Group, string Resource) Split(string groupResource)
    {
        var slash = groupResource.IndexOf('/', StringComparison.Ordinal);
        return (groupResource[..slash], groupResource[(slash + 1)..]);
    }

    /// <summary>(verb, group, resource, cluster-wide?) tuples, with the lease's namespace left out (names differ per install).</summary>
    private static HashSet<(string, string, string, bool)> PermissionSet(RbacRules rules) =>
        [.. rules.Grants.SelectMany(g => g.Permissions.Select(p => (p.Verb, p.Group, p.Resource, g.Namespace is null)))];
}
