// What a cluster's controllers do, learned by a bounded probe instead of assumed: a bare kube-apiserver (envtest)
// stores objects but has no garbage collector, Deployment controller or namespace controller, so assertions that
// need them cannot pass there and must say why they were skipped rather than fail or hang. Each probe creates its
// objects in a namespace of the probing session (deleted with it) and waits at most the target's SettleTimeout.

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>Which controllers answered the probe on one cluster.</summary>
internal sealed record ClusterControllers(bool GarbageCollector, bool DeploymentController, bool PodsBecomeReady)
{
    /// <summary>The image the reconciliation tests put in their Celery resources (never pulled by the emulator).</summary>
    public const string WorkloadImage = "example/app:1";

    /// <summary>Why garbage-collection assertions are skipped here; null when a garbage collector answered.</summary>
    public string? NoGarbageCollector => GarbageCollector ? null
        : "this cluster runs no kube-controller-manager (a probe dependent of a deleted owner was not collected in time): assertions that need the garbage collector or the namespace controller are skipped";

    /// <summary>Why rollout assertions are skipped here; null when Deployments of the test image become ready.</summary>
    public string? NoRollouts => PodsBecomeReady ? null
        : DeploymentController
            ? $"Deployments here are observed but their pods never become ready ({WorkloadImage} is a placeholder image no kubelet can run): readiness assertions are skipped"
            : "this cluster has no Deployment controller (a probe Deployment's status was never written): readiness assertions are skipped";

    public static async Task<ClusterControllers> ProbeAsync(Kubernetes client, string @namespace, TimeSpan bound)
    {
        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("controller-probe", 1, WorkloadImage), @namespace);
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "gc-probe-owner" } }, @namespace);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "gc-probe-dependent",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid }],
            },
        }, @namespace);
        await client.CoreV1.DeleteNamespacedConfigMapAsync(owner.Metadata.Name, @namespace, propagationPolicy: "Background");

        bool collected = false, observed = false, ready = false;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                collected = collected || !await ClusterSession.ExistsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("gc-probe-dependent", @namespace));
                var status = (await client.AppsV1.ReadNamespacedDeploymentAsync(deployment.Metadata.Name, @namespace)).Status;
                observed = observed || status?.ObservedGeneration >= 1;
                ready = status?.ReadyReplicas == 1;
                return collected && ready;
            }, "the probe's dependent is collected and its Deployment is ready", bound);
        }
        catch (TimeoutException)
        {
            // A controller that did not answer within the bound is one this cluster lacks; the flags say which.
        }

        return new ClusterControllers(collected, observed, ready);
    }
}
