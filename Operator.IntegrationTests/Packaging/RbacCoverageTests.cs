// Least privilege, proven against an authorizer: the operator runs as its service account against an emulator that
// enforces RBAC, with exactly the roles an installer creates (deploy/operator for kubectl, `kubectl kustomize
// deploy/`, and the Helm chart cluster-wide and with watchNamespaces), through a scenario that exercises every
// kind of request it makes: creating, updating and deleting each child kind, KEDA's objects and the derived
// Secret, the builtin scaler's scale patch (on a real Redis), status, deduplicated Events, the lease, and the token and access reviews of a metrics scrape. It must converge without a single refusal, and every permission
// granted must have been needed by some authorization check (the create an apply makes included).
using Operator.Celery.Reconciliation;
using Operator.IntegrationTests.Conformance;

namespace Operator.IntegrationTests.Packaging;

public enum RbacSource
{
    /// <summary>deploy/operator's ClusterRole, binding and leader-election Role, applied with kubectl.</summary>
    DeployDirectory,

    /// <summary>`kubectl kustomize deploy/`.</summary>
    Kustomize,

    /// <summary>The chart with default values: a ClusterRole.</summary>
    HelmClusterWide,

    /// <summary>The chart with watchNamespaces: a Role in each watched namespace.</summary>
    HelmNamespaced,
}

[Parallelizable(ParallelScope.Children)]
[EmulatorOnly("proves every grant was needed from the emulator's authorization decisions, which a real cluster does not expose; there the operator would also need a TokenRequest token and cluster-wide roles under the shipped names")]
public sealed class RbacCoverageTests
{
    private const string Ns = "team-a";

    private static string Celery(string name, string workers, string extra = "") =>
        $"apiVersion: celeryproject.org/v1alpha1\nkind: Celery\nmetadata:\n  name: {name}\n  namespace: {Ns}\nspec:\n  image: example/app:1\n  app: proj\n"
        + $"  broker:\n    type: redis\n    urlSecretRef:\n      name: {name}-broker\n      key: url\n  workers:\n{workers}{extra}";

    /// <summary>
    /// A resource with every child kind: HPA, PDB, KEDA (derived Secret + TriggerAuthentication), beat and Flower with
    /// their claims, Flower with Ingress and ServiceMonitor.
    /// </summary>
    internal static string FullCelery(string name) => Celery(name, FullWorkers, FullExtra);

    private const string FullWorkers =
        "    - name: cpu\n      resources:\n        requests:\n          cpu: 100m\n      podDisruptionBudget:\n        maxUnavailable: 1\n      autoscaling:\n        maxReplicas: 4\n        cpu:\n          targetUtilization: 60\n"
        + "    - name: queue\n      queues:\n        - a\n        - b\n      autoscaling:\n        minReplicas: 0\n        maxReplicas: 4\n        queueLength:\n          targetPerReplica: 5\n";

    private const string FullExtra = "  beat:\n    enabled: true\n    persistence:\n      size: 64Mi\n  flower:\n    persistence:\n      size: 1Gi\n    serviceMonitor:\n      enabled: true\n"
        + "    ingress:\n      enabled: true\n      host: flower.example.com\n";

    private const string BuiltinScaledWorkers =
        "    - name: w\n      autoscaling:\n        minReplicas: 0\n        maxReplicas: 2\n        queueLength:\n          targetPerReplica: 5\n          engine: builtin\n"
        + "        behavior:\n          scaleDown:\n            stabilizationWindowSeconds: 0\n";

    internal static string BrokerSecret(string celery, string @namespace = Ns, string url = "redis://:pw@redis:6379/2") =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {celery}-broker\n  namespace: {@namespace}\nstringData:\n  url: \"{url}\"\n";

    /// <summary>The RBAC an installer creates from <paramref name="source"/>, with the operator's namespace and service account.</summary>
    internal static async Task<(ManifestSet Manifests, string Namespace, string ServiceAccount, IReadOnlyList<string> WatchNamespaces)> RbacFromAsync(RbacSource source) =>
        source switch
        {
            RbacSource.DeployDirectory => (ManifestSet.Load(
                RepositoryRoot.File("deploy/operator/cluster-role.yaml"),
                RepositoryRoot.File("deploy/operator/cluster-role-binding.yaml"),
                RepositoryRoot.File("deploy/operator/leader-election-role.yaml"),
                RepositoryRoot.File("deploy/operator/metrics-reader-role.yaml")), "celery-operator-system", "celery-operator", []),
            RbacSource.Kustomize => (await ManifestRenderer.KustomizeAsync("deploy"), "celery-operator-system", "celery-operator", []),
            RbacSource.HelmClusterWide => (await ManifestRenderer.HelmManifestsAsync(), "celery-operator", "celery-operator", []),
            RbacSource.HelmNamespaced => (await ManifestRenderer.HelmManifestsAsync("deploy/helm/celery-operator/ci/namespaced-values.yaml"), "celery-operator", "celery-operator", ["team-a", "team-b"]),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };

    [Test]
    public async Task EveryRequestIsAllowedAndEveryGrantIsUsed([Values] RbacSource source)
    {
        // The builtin scaler needs a broker it can read before it sets a count through deployments/scale.
        LocalPrograms.RequireRedis();
        await using var redis = await RedisServer.StartNewAsync(CancellationToken.None);
        var (manifests, operatorNamespace, serviceAccount, watchNamespaces) = await RbacFromAsync(source);
        await using var cluster = await RbacEnforcedOperator.StartAsync(manifests, operatorNamespace, serviceAccount, [Ns], watchNamespaces,
            "--Operator:Backlog:Interval=00:00:01", "--Operator:Backlog:CallTimeout=00:00:00.5");
        (await cluster.ApplyAsync(BrokerSecret("full"))).EnsureSuccess();

        // Everything at once: every child kind is created.
        (await cluster.ApplyAsync(FullCelery("full"))).EnsureSuccess();
        await cluster.WaitForConditionAsync(Ns, "full", CeleryConditions.Ready, "True");
        await cluster.WaitForConditionAsync(Ns, "full", CeleryConditions.AutoscalingActive, "True");

        // The builtin scaler lists the namespace's autoscalers and scales an idle group to zero through deployments/scale.
        (await cluster.ApplyAsync(BrokerSecret("scaled", url: redis.BrokerUrl))).EnsureSuccess();
        (await cluster.ApplyAsync(Celery("scaled", BuiltinScaledWorkers, "  flower:\n    enabled: false\n"))).EnsureSuccess();
        await cluster.WaitUntilAsync(() => cluster.Decisions.Any(d => d.Allowed && d.Request is { Verb: "patch", Resource: "deployments", Subresource: "scale" }), "the builtin scaler patches deployments/scale");

        // A missing Secret fails repeatedly: the repeated Event is patched, not created again.
        (await cluster.ApplyAsync(Celery("orphan", "    - name: w\n"))).EnsureSuccess();
        await cluster.WaitUntilAsync(() => cluster.Decisions.Any(d => d.Allowed && d.Request is { Verb: "patch", Resource: "events" }), "a repeated event is patched");

        // Take everything away again: each child kind is deleted.
        (await cluster.ApplyAsync(Celery("full", "    - name: queue\n", "  flower:\n    enabled: false\n"))).EnsureSuccess();
        await cluster.WaitUntilAsync(
            () => cluster.Decisions.Where(d => d.Allowed && d.Request.Verb == "delete").Select(d => d.Request.Resource).Distinct().Count() >= 9,
            "deletions of every child kind");

        // Prometheus, bound to the shipped metrics-reader role, scrapes: the operator reviews its token and access.
        const string Prometheus = "system:serviceaccount:monitoring:prometheus";
        await cluster.GrantMetricsReaderAsync(Prometheus);
        var scrape = await cluster.ScrapeMetricsAsync(Prometheus);
        Assert.That(scrape.Code, Is.EqualTo(200), scrape.Body);

        var rules = RbacRules.ForServiceAccount(manifests, operatorNamespace, serviceAccount);
        var used = cluster.Decisions.Where(d => d.Allowed && d.Request.IsResourceRequest)
            .Select(d => (d.Request.Verb, d.Request.Group, Resource: d.Request.CombinedResource))
            .ToHashSet();
        var unused = rules.Grants.SelectMany(g => g.Permissions).Where(p => !used.Contains(p)).Select(p => $"{p.Verb} {p.Group}/{p.Resource}").Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cluster.Refusals, Is.Empty, "requests the installed RBAC refused");
            Assert.That(unused, Is.Empty, "granted permissions the operator never needed");
        });
    }
}
