// The operator's main job on a real Kubernetes: K3s through Testcontainers, opt-in like the emulator's K3s
// conformance run (CELERY_OPERATOR_K3S=1 and a Docker engine), skipped with the reason otherwise. The module runs
// in-process against K3s; real controllers roll out the Deployments (the sample image is not pulled to run
// Celery, so the test checks what the operator owns: children, ownerReferences, status, drift, garbage collection).
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Celery;
using Operator.Celery.Crd;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.IntegrationTests.Emulator;
using Operator.IntegrationTests.Emulator.Targets;
using Operator.Runtime.Reconcile;

namespace Operator.IntegrationTests.Reconciliation;

[NonParallelizable]
public sealed class K3sLifecycleTests
{
    [Test]
    public async Task SampleOnK3sGetsOwnedChildrenStatusDriftRepairAndGarbageCollection()
    {
        if (new K3sTarget().Unavailable is { } reason)
        {
            Assert.Ignore(reason);
        }

        var cluster = await K3sCluster.SharedAsync(CancellationToken.None);
        var kubectl = new KubectlRunner(cluster.KubeconfigPath);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath));
        var ns = $"celery-{Guid.NewGuid():N}"[..20];
        (await kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File(CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
        (await kubectl.RunAsync("wait", "--for=condition=Established", $"crd/{CeleryCustomResourceDefinition.Name}", "--timeout=60s")).EnsureSuccess();
        (await kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: broker\n  namespace: {ns}\nstringData:\n  url: redis://redis:6379/0\n", "apply", "--server-side", "-f", "-")).EnsureSuccess();

        var module = new CeleryControllerModule(client, new CeleryControllerSettings
        {
            Namespaces = [ns],
            Controller = new ControllerOptions { MaxConcurrentReconciles = 2, ShutdownTimeout = TimeSpan.FromSeconds(5) },
        }, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll([.. module.Informers.Select(i => i.RunAsync(stop.Token)), module.RunAsLeaderAsync(stop.Token)]);
        try
        {
            (await kubectl.RunWithInputAsync($"apiVersion: celeryproject.org/v1alpha1\nkind: Celery\nmetadata:\n  name: hello\n  namespace: {ns}\nspec:\n  image: example/app:1\n  app: proj\n  broker:\n    type: redis\n    urlSecretRef:\n      name: broker\n      key: url\n  workers:\n    - name: default\n", "apply", "--server-side", "-f", "-")).EnsureSuccess();

            async Task<CeleryResource?> Get()
            {
                var json = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(CeleryResource.Group, CeleryResource.Version, ns, CeleryResource.Plural, "hello");
                return KubernetesJson.Deserialize<CeleryResource>(json.GetRawText());
            }

            var resource = await Eventually.GetAsync(Get, c => c?.Status?.ObservedGeneration == c?.Metadata.Generation && c?.Status?.Workers?.Count == 1, TimeSpan.FromSeconds(90), "status observed");
            var worker = await client.AppsV1.ReadNamespacedDeploymentAsync("hello-worker-default", ns);
            Assert.Multiple(() =>
            {
                Assert.That(worker.Metadata.OwnerReferences.Single().Uid, Is.EqualTo(resource!.Metadata.Uid));
                Assert.That(resource.Status!.Conditions!.Select(c => c.Type), Does.Contain(CeleryConditions.Ready));
            });

            (await kubectl.RunAsync("delete", "service", "hello-flower", "-n", ns)).EnsureSuccess();
            await Eventually.GetAsync(async () => (await client.CoreV1.ListNamespacedServiceAsync(ns)).Items.Any(s => s.Metadata.Name == "hello-flower"), found => found, TimeSpan.FromSeconds(60), "service recreated");

            (await kubectl.RunAsync("delete", "celery", "hello", "-n", ns, "--wait=false")).EnsureSuccess();
            await Eventually.GetAsync(async () => (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Count, n => n == 0, TimeSpan.FromSeconds(90), "children collected by the garbage collector");
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(20));
            await kubectl.RunAsync("delete", "namespace", ns, "--wait=false");
        }
    }
}
