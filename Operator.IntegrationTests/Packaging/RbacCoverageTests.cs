// Least privilege, proven: the operator runs (as its own host, leader election on) through a scenario that
// exercises every kind of request it makes: creating, updating and deleting each child kind, KEDA's objects and
// the derived Secret, status, deduplicated Events, the lease. The emulator's audit log of its requests is then
// held against the shipped RBAC: every request must be allowed, and every granted permission must have been used.
using System.Text.Json.Nodes;
using Operator.Celery;
using Operator.Celery.Crd;
using Operator.Celery.Reconciliation;
using Operator.Emulator.Hosting;
using Operator.IntegrationTests.Emulator;
using Operator.IntegrationTests.Reconciliation;
using Operator.Runtime.Hosting;

namespace Operator.IntegrationTests.Packaging;

[NonParallelizable]
public sealed class RbacCoverageTests
{
    private const string OperatorNamespace = "celery-operator-system";
    private const string ServiceAccount = "celery-operator";
    private const string User = $"system:serviceaccount:{OperatorNamespace}:{ServiceAccount}";
    private const string Ns = "apps";

    private static RbacRules ShippedRules() => RbacRules.ForServiceAccount(
        ManifestSet.Load(
            RepositoryRoot.File("deploy/operator/cluster-role.yaml"),
            RepositoryRoot.File("deploy/operator/cluster-role-binding.yaml"),
            RepositoryRoot.File("deploy/operator/leader-election-role.yaml")),
        OperatorNamespace,
        ServiceAccount);

    private static string Celery(string name, string workers, string extra = "") =>
        $"apiVersion: celeryproject.org/v1alpha1\nkind: Celery\nmetadata:\n  name: {name}\n  namespace: {Ns}\nspec:\n  image: example/app:1\n  app: proj\n"
        + $"  broker:\n    type: redis\n    urlSecretRef:\n      name: {name}-broker\n      key: url\n  workers:\n{workers}{extra}";

    private const string FullWorkers =
        "    - name: cpu\n      resources:\n        requests:\n          cpu: 100m\n      podDisruptionBudget:\n        maxUnavailable: 1\n      autoscaling:\n        maxReplicas: 4\n        cpu:\n          targetUtilization: 60\n"
        + "    - name: queue\n      queues:\n        - a\n        - b\n      autoscaling:\n        minReplicas: 0\n        maxReplicas: 4\n        queueLength:\n          targetPerReplica: 5\n";

    private const string FullExtra = "  beat:\n    enabled: true\n  flower:\n    ingress:\n      enabled: true\n      host: flower.example.com\n";

    [Test]
    public async Task EveryRequestIsAllowedAndEveryGrantIsUsed()
    {
        await using var session = await EmulatorSession.StartAsync(new EmulatorOptions { DeploymentControllerDelay = TimeSpan.FromMilliseconds(50) });
        (await session.Kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File(CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
        await OperatorUnderTest.InstallKedaAsync(session);
        foreach (var ns in new[] { OperatorNamespace, Ns })
        {
            (await session.Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "--server-side", "-f", "-")).EnsureSuccess();
        }

        (await session.Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: full-broker\n  namespace: {Ns}\nstringData:\n  url: redis://:pw@redis:6379/2\n", "apply", "--server-side", "-f", "-")).EnsureSuccess();

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"operator-{Guid.NewGuid():N}.yaml");
        session.Emulator.WriteKubeconfig(kubeconfig, User);
        var app = OperatorHost.Build(
        [
            $"--Operator:Kubernetes:KubeConfigPath={kubeconfig}", "--Operator:Port=0", "--Operator:BindAddress=127.0.0.1", "--Operator:LogFormat=Text",
            "--Operator:LeaderElection:Enabled=true", $"--Operator:LeaderElection:LeaseNamespace={OperatorNamespace}",
            "--Operator:LeaderElection:RetryPeriod=00:00:00.2", "--Operator:ShutdownTimeout=00:00:05",
            "--Celery:KedaRecheckInterval=00:00:00.5", "--Celery:Events:RepeatWriteInterval=00:00:00.05",
        ], CeleryControllerModule.Register);
        await app.StartAsync();
        try
        {
            async Task<JsonNode?> Status(string name)
            {
                var result = await session.Kubectl.RunAsync("get", "celery", name, "-n", Ns, "-o", "json");
                return result.ExitCode == 0 ? JsonNode.Parse(result.Output)?["status"] : null;
            }

            bool Condition(JsonNode? status, string type, string value) =>
                (status?["conditions"] as JsonArray)?.Any(c => c?["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == value) == true;

            // Everything at once: HPA, PDB, KEDA (derived Secret + TriggerAuthentication), beat, Flower with Ingress.
            (await session.Kubectl.RunWithInputAsync(Celery("full", FullWorkers, FullExtra), "apply", "--server-side", "-f", "-")).EnsureSuccess();
            await Eventually.GetAsync(() => Status("full"), s => Condition(s, CeleryConditions.Ready, "True") && Condition(s, CeleryConditions.AutoscalingActive, "True"), TimeSpan.FromSeconds(60), "full resource ready");

            // A missing Secret fails repeatedly: the repeated Event is patched, not created again.
            (await session.Kubectl.RunWithInputAsync(Celery("orphan", "    - name: w\n"), "apply", "--server-side", "-f", "-")).EnsureSuccess();
            await Eventually.GetAsync(() => Task.FromResult(session.Emulator.Audit.Query(user: User, verb: "patch", resource: "events").Count), n => n > 0, TimeSpan.FromSeconds(60), "a repeated event is patched");

            // Take everything away again: each child kind is deleted.
            (await session.Kubectl.RunWithInputAsync(Celery("full", "    - name: queue\n", "  flower:\n    enabled: false\n"), "apply", "--server-side", "-f", "-")).EnsureSuccess();
            await Eventually.GetAsync(
                () => Task.FromResult(session.Emulator.Audit.Query(user: User, verb: "delete").Select(e => e.Resource).Distinct().Count()),
                n => n >= 7, TimeSpan.FromSeconds(60), "deletions of every child kind");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            File.Delete(kubeconfig);
        }

        var rules = ShippedRules();
        var requests = session.Emulator.Audit.Query(user: User).Where(e => e.Resource.Length > 0).ToList();
        var denied = requests
            .Where(e => !rules.Allows(new RbacRequest(e.Verb, e.Group, e.Resource, e.Subresource, e.Namespace, e.Name)))
            .Select(e => $"{e.Verb} {e.Group}/{e.Resource}{(e.Subresource is null ? "" : "/" + e.Subresource)} in {e.Namespace}")
            .Distinct()
            .ToList();
        var used = requests.Select(e => (e.Verb, e.Group, Resource: e.Subresource is null ? e.Resource : $"{e.Resource}/{e.Subresource}")).ToHashSet();
        var unused = rules.Grants.SelectMany(g => g.Permissions).Where(p => !used.Contains(p)).Select(p => $"{p.Verb} {p.Group}/{p.Resource}").Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(denied, Is.Empty, "requests the shipped RBAC does not allow");
            Assert.That(unused, Is.Empty, "granted permissions the operator never needed");
        });
    }
}
