using Microsoft.Extensions.Logging;
using Operator.Celery;
using Operator.Celery.Reconciliation;
using Operator.Celery.Validation;

namespace Operator.IntegrationTests.Reconciliation;

/// <summary>
/// A Celery resource's life on a cluster, driven by the real kubectl as the user's client: on the in-process
/// emulator (with its audit log) and on every kubeconfig target (the operator as a process, in a namespace of its own).
/// </summary>
[TestFixtureSource(typeof(ClusterTargets), nameof(ClusterTargets.All))]
[Parallelizable(ParallelScope.Children)]
public sealed class LifecycleTests(ClusterTarget target)
{
    [OneTimeSetUp]
    public void RequireTarget()
    {
        if (target.Unavailable is { } reason)
        {
            Assert.Ignore(reason);
        }
    }

    [SetUp]
    public void SkipEmulatorOnly() => EmulatorOnlyAttribute.SkipUnlessSupported(target);

    // No namespace: kubectl applies to the operator's namespace, its default.
    internal static string Sample(string name, string workers = "  workers:\n    - name: default\n", string extra = "") => $"""
        apiVersion: celeryproject.org/v1alpha1
        kind: Celery
        metadata:
          name: {name}
        spec:
          image: example/app:1
          app: proj
          broker:
            type: redis
            urlSecretRef: {"{"}name: {name}-broker, key: url{"}"}
        {workers}{extra}
        """;

    private async Task<OperatorUnderTest> StartWithBrokerAsync(string name, bool installKeda = true, TimeSpan? resync = null, ILoggerFactory? loggers = null)
    {
        var op = await OperatorUnderTest.StartAsync(target, installKeda, resync, loggers);
        await op.CreateSecretAsync(op.Namespace, $"{name}-broker", new Dictionary<string, string> { ["url"] = "redis://:pw@redis:6379/1" });
        return op;
    }

    private static async Task<V1Deployment?> DeploymentAsync(OperatorUnderTest op, string name)
    {
        try
        {
            return await op.Client.AppsV1.ReadNamespacedDeploymentAsync(name, op.Namespace);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [Test]
    public async Task SampleBecomesReadyChildrenWithOwnerReferences()
    {
        await using var op = await StartWithBrokerAsync("hello");
        (await op.KubectlApplyAsync(Sample("hello"))).EnsureSuccess();
        var ready = await op.WaitForConvergedAsync("hello");

        var worker = (await DeploymentAsync(op, "hello-worker-default"))!;
        var flower = (await DeploymentAsync(op, "hello-flower"))!;
        var service = await op.Client.CoreV1.ReadNamespacedServiceAsync("hello-flower", op.Namespace);
        Assert.Multiple(() =>
        {
            foreach (var child in new IKubernetesObject<V1ObjectMeta>[] { worker, flower, service })
            {
                var owner = child.Metadata.OwnerReferences.Single();
                Assert.That(owner.Uid, Is.EqualTo(ready.Metadata.Uid));
                Assert.That(owner.Controller, Is.True);
            }

            Assert.That(worker.Spec.Template.Spec.Containers[0].Args, Does.Contain("--queues=celery"));
            Assert.That(ready.Status!.WorkersReady, Is.EqualTo(op.Controllers.PodsBecomeReady ? "1/1" : "0/1"));
            Assert.That(ready.Status.Flower!.Url, Is.EqualTo($"http://hello-flower.{op.Namespace}.svc:5555"));
            Assert.That(ready.Status.Workers!.Single().Deployment, Is.EqualTo("hello-worker-default"));
        });

        var table = (await op.Kubectl.RunAsync("get", "celery", "hello")).EnsureSuccess().Output;
        Assert.That(table, Does.Contain("READY").And.Contain(op.Controllers.PodsBecomeReady ? "True" : "False").And.Contain(ready.Status!.WorkersReady));
    }

    [Test]
    public async Task SteadyStateCostsNoWrites()
    {
        await using var op = await StartWithBrokerAsync("steady");
        (await op.KubectlApplyAsync(Sample("steady"))).EnsureSuccess();
        var ready = await op.WaitForConvergedAsync("steady");
        await op.WaitForQuietAsync();

        var writesBefore = op.Audit is null ? 0 : op.OperatorWrites().Count;
        var stateBefore = await op.WrittenStateAsync(ready);
        var reconcilesBefore = await op.ReconcilesAsync();
        // A metadata-only change to the resource reconciles it again without changing what it needs.
        (await op.Kubectl.RunAsync("label", "celery", "steady", "touched=yes")).EnsureSuccess();
        await op.WaitForReconcilesAsync(reconcilesBefore, 1);
        await op.WaitForQuietAsync();
        // Proof any cluster gives: no child's resourceVersion or managedFields time moved, nor the status's.
        Assert.That(await op.WrittenStateAsync(ready), Is.EqualTo(stateBefore), "steady state must leave every child and the status untouched");
        if (op.Audit is not null)
        {
            // The emulator's audit log also shows writes that changed nothing (a no-op apply still costs a request).
            var extra = op.OperatorWrites().Skip(writesBefore).Select(w => $"{w.Verb} {w.Resource}/{w.Name}").ToList();
            Assert.That(extra, Is.Empty, "steady state must cost no writes");
        }
    }

    [Test]
    public async Task AResyncOfASteadyResourceEndsAtOnceYetDriftAndSecretRotationStillReachIt()
    {
        // Resyncs every 300 ms: each one after convergence finds the inputs of the last reconcile that changed nothing.
        await using var op = await StartWithBrokerAsync("memo", resync: TimeSpan.FromMilliseconds(300));
        (await op.KubectlApplyAsync(Sample("memo"))).EnsureSuccess();
        var ready = await op.WaitForConvergedAsync("memo");
        // The first spared resync comes only once a reconcile changed nothing, so the state read after it is final.
        var first = await Eventually.GetAsync(op.UnchangedReconcilesAsync, n => n > 0, op.ActTimeout, "a resync that found nothing changed");
        var stateBefore = await op.WrittenStateAsync(ready);
        await Eventually.GetAsync(op.UnchangedReconcilesAsync, n => n >= first + 5, op.ActTimeout, "five more resyncs that found nothing changed");
        Assert.That(await op.WrittenStateAsync(ready), Is.EqualTo(stateBefore), "a spared resync must leave every child and the status untouched");

        // A change to a child, to a referenced Secret or to the resource itself is a new input: reconciled in full.
        (await op.Kubectl.RunAsync("patch", "deployment", "memo-worker-default", "--type", "json", "-p", """[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"evil:1"}]""")).EnsureSuccess();
        await Eventually.GetAsync(() => DeploymentAsync(op, "memo-worker-default"), d => d?.Spec.Template.Spec.Containers[0].Image == "example/app:1", op.ActTimeout, "image restored");
        await RotateBrokerSecretAndAwaitNewChecksumAsync(op, "memo");
        (await op.Kubectl.RunAsync("patch", "celery", "memo", "--type", "merge", "-p", """{"spec":{"flower":{"enabled":false}}}""")).EnsureSuccess();
        await Eventually.GetAsync(() => DeploymentAsync(op, "memo-flower"), d => d is null, op.ActTimeout, "flower deleted");
    }

    [Test]
    public async Task UpdatesReachChildrenAndUnwantedChildrenAreDeleted()
    {
        await using var op = await StartWithBrokerAsync("upd");
        (await op.KubectlApplyAsync(Sample("upd", "  workers:\n    - name: a\n    - name: b\n"))).EnsureSuccess();
        await op.WaitForConvergedAsync("upd");

        (await op.KubectlApplyAsync(Sample("upd", "  workers:\n    - name: a\n      queues: [q1, q2]\n      concurrency: 3\n", "  flower:\n    enabled: false\n"))).EnsureSuccess();
        await Eventually.GetAsync(() => DeploymentAsync(op, "upd-worker-b"), d => d is null, op.ActTimeout, "group b deleted");
        await Eventually.GetAsync(() => DeploymentAsync(op, "upd-flower"), d => d is null, op.ActTimeout, "flower deleted");
        var a = await Eventually.GetAsync(() => DeploymentAsync(op, "upd-worker-a"), d => d?.Spec.Template.Spec.Containers[0].Args.Contains("--queues=q1,q2") == true, op.ActTimeout, "queues updated");
        Assert.That(a!.Spec.Template.Spec.Containers[0].Args, Does.Contain("--concurrency=3"));
        await op.WaitForConvergedAsync("upd");
    }

    [Test]
    public async Task DriftIsRepaired()
    {
        await using var op = await StartWithBrokerAsync("drift");
        (await op.KubectlApplyAsync(Sample("drift"))).EnsureSuccess();
        await op.WaitForConvergedAsync("drift");

        (await op.Kubectl.RunAsync("patch", "deployment", "drift-worker-default", "--type", "json", "-p", """[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"evil:1"}]""")).EnsureSuccess();
        await Eventually.GetAsync(() => DeploymentAsync(op, "drift-worker-default"), d => d?.Spec.Template.Spec.Containers[0].Image == "example/app:1", op.ActTimeout, "image restored");

        (await op.Kubectl.RunAsync("delete", "service", "drift-flower")).EnsureSuccess();
        await Eventually.GetAsync(async () => (await op.Client.CoreV1.ListNamespacedServiceAsync(op.Namespace)).Items.Any(s => s.Metadata.Name == "drift-flower"), found => found, op.ActTimeout, "service recreated");
    }

    [Test]
    public async Task SwitchingToAutoscalingKeepsTheRunningReplicaCount()
    {
        await using var op = await StartWithBrokerAsync("scale");
        (await op.KubectlApplyAsync(Sample("scale", "  workers:\n    - name: w\n      replicas: 3\n      resources: {requests: {cpu: 100m}}\n"))).EnsureSuccess();
        await op.WaitForConvergedAsync("scale");

        (await op.KubectlApplyAsync(Sample("scale", "  workers:\n    - name: w\n      resources: {requests: {cpu: 100m}}\n      autoscaling: {minReplicas: 1, maxReplicas: 5, cpu: {targetUtilization: 70}}\n"))).EnsureSuccess();
        await Eventually.GetAsync(async () => (await op.Client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(op.Namespace)).Items.Count, n => n == 1, op.ActTimeout, "HPA created");
        await op.WaitForConditionAsync(op.Namespace, "scale", CeleryConditions.AutoscalingActive, "True");
        var deployment = (await DeploymentAsync(op, "scale-worker-w"))!;
        Assert.That(deployment.Spec.Replicas, Is.EqualTo(3), "the hand-over keeps the running replica count");

        // The autoscaler (here a user standing in for it) now owns replicas; the operator never resets them.
        (await op.Kubectl.RunAsync("scale", "deployment/scale-worker-w", "--replicas=4")).EnsureSuccess();
        var reconciles = await op.ReconcilesAsync();
        (await op.Kubectl.RunAsync("label", "celery", "scale", "touched=yes")).EnsureSuccess();
        await op.WaitForReconcilesAsync(reconciles);
        Assert.That((await DeploymentAsync(op, "scale-worker-w"))!.Spec.Replicas, Is.EqualTo(4));

        (await op.KubectlApplyAsync(Sample("scale", "  workers:\n    - name: w\n      replicas: 2\n      resources: {requests: {cpu: 100m}}\n"))).EnsureSuccess();
        await Eventually.GetAsync(() => DeploymentAsync(op, "scale-worker-w"), d => d?.Spec.Replicas == 2, op.ActTimeout, "fixed replicas set back explicitly");
        await Eventually.GetAsync(async () => (await op.Client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(op.Namespace)).Items.Count, n => n == 0, op.ActTimeout, "HPA deleted");
    }

    [Test]
    [EmulatorOnly("needs a cluster without KEDA's CRDs and installs them mid-test: cluster-wide objects a shared cluster (and the other tests on it) must not see change")]
    public async Task KedaAbsentThenInstalled()
    {
        await using var op = await StartWithBrokerAsync("keda", installKeda: false);
        (await op.KubectlApplyAsync(Sample("keda", "  workers:\n    - name: w\n      queues: [a, b]\n      autoscaling: {minReplicas: 0, maxReplicas: 5, queueLength: {targetPerReplica: 10}}\n"))).EnsureSuccess();
        var waiting = await op.WaitForConditionAsync(op.Namespace, "keda", CeleryConditions.AutoscalingActive, "False", CeleryConditions.Reasons.KedaNotInstalled);
        Assert.That(await DeploymentAsync(op, "keda-worker-w"), Is.Not.Null, "everything else is applied");
        Assert.That(waiting.Status!.Workers!.Single().Autoscaler!.Active, Is.False);

        await OperatorUnderTest.InstallKedaAsync(op.Kubectl);
        await op.WaitForConditionAsync(op.Namespace, "keda", CeleryConditions.AutoscalingActive, "True", timeout: TimeSpan.FromSeconds(30));
        var scaled = await op.Client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.JsonElement>("keda.sh", "v1alpha1", op.Namespace, "scaledobjects", "keda-worker-w");
        var spec = JsonNode.Parse(scaled.GetRawText())!["spec"]!;
        Assert.Multiple(() =>
        {
            Assert.That(spec["advanced"]!["scalingModifiers"]!["formula"]!.GetValue<string>(), Is.EqualTo("queue0 + queue1"));
            Assert.That(spec["triggers"]![0]!["metadata"]!["databaseIndex"]!.GetValue<string>(), Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task MissingSecretIsReportedThenRecovers()
    {
        await using var op = await OperatorUnderTest.StartAsync();
        (await op.KubectlApplyAsync(Sample("nosecret"))).EnsureSuccess();
        var degraded = await op.WaitForConditionAsync(op.Namespace, "nosecret", CeleryConditions.Degraded, "True", CeleryConditions.Reasons.BrokerSecretMissing);
        Assert.That(degraded.Status!.Conditions!.Single(c => c.Type == CeleryConditions.Degraded).Message, Does.Contain("nosecret-broker"));

        await op.CreateSecretAsync(op.Namespace, "nosecret-broker", new Dictionary<string, string> { ["url"] = "redis://:pw@redis:6379/0" });
        await op.WaitForConvergedAsync("nosecret");
        var events = await op.Client.CoreV1.ListNamespacedEventAsync(op.Namespace);
        Assert.That(events.Items.Where(e => e.Reason == CeleryConditions.Reasons.BrokerSecretMissing).Select(e => e.Message), Has.None.Contains("pw"));
    }

    [Test]
    public async Task RotatedSecretRollsThePods()
    {
        await using var op = await StartWithBrokerAsync("rotate");
        (await op.KubectlApplyAsync(Sample("rotate"))).EnsureSuccess();
        await op.WaitForConvergedAsync("rotate");
        await RotateBrokerSecretAndAwaitNewChecksumAsync(op, "rotate");
    }

    /// <summary>Replaces the broker URL in <c>{name}-broker</c> and waits for the worker Deployment's pod template to carry a new Secret checksum.</summary>
    private static async Task RotateBrokerSecretAndAwaitNewChecksumAsync(OperatorUnderTest op, string name)
    {
        const string ChecksumAnnotation = "celeryproject.org/secret-checksum";
        var before = (await DeploymentAsync(op, $"{name}-worker-default"))!.Spec.Template.Metadata.Annotations[ChecksumAnnotation];
        var secret = await op.Client.CoreV1.ReadNamespacedSecretAsync($"{name}-broker", op.Namespace);
        secret.StringData = new Dictionary<string, string> { ["url"] = "redis://:new@redis:6379/1" };
        secret.Data = null;
        await op.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, $"{name}-broker", op.Namespace);
        await Eventually.GetAsync(() => DeploymentAsync(op, $"{name}-worker-default"), d => d!.Spec.Template.Metadata.Annotations[ChecksumAnnotation] != before, op.ActTimeout, "checksum changed");
    }

    [Test]
    public async Task InvalidSpecIsTerminalAndOthersConverge()
    {
        var logs = new RecordedLogs();
        using var loggers = logs.CreateFactory();
        await using var op = await StartWithBrokerAsync("good", loggers: loggers);
        await op.CreateSecretAsync(op.Namespace, "bad-broker", new Dictionary<string, string> { ["url"] = "redis://redis:6379/0" });
        // The CRD's CEL rule rejects this on a real API server, which is the end of it there; the emulator does not
        // evaluate CEL, so the operator's own validation is what stops it.
        var rejected = await op.KubectlApplyAsync(Sample("bad", "  workers:\n    - name: w\n      replicas: 2\n      autoscaling: {maxReplicas: 3, queueLength: {targetPerReplica: 1}}\n"));
        (await op.KubectlApplyAsync(Sample("good"))).EnsureSuccess();
        if (rejected.ExitCode != 0)
        {
            Assert.That(rejected.Error, Does.Contain("replicas and autoscaling are mutually exclusive"), "the API server's CEL rule refused it");
            await op.WaitForConvergedAsync("good");
            return;
        }

        var bad = await op.WaitForConditionAsync(op.Namespace, "bad", CeleryConditions.Ready, "False", CeleryConditions.Reasons.InvalidSpec);
        await op.WaitForConvergedAsync("good");
        var autoscaling = bad.Status!.Conditions!.Single(c => c.Type == CeleryConditions.AutoscalingActive);
        // Logs are captured only from an operator running in-process (on the emulator); a process's are its own.
        var invalidLogs = logs.Entries.Where(e => e.Level >= LogLevel.Warning && e.Message.Contains("invalid spec", StringComparison.Ordinal)).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(bad.Status!.Conditions!.Single(c => c.Type == CeleryConditions.Ready).Message, Does.Contain("spec.workers[0].replicas"));
            Assert.That(await DeploymentAsync(op, "bad-worker-w"), Is.Null);
            // No autoscaler exists, so the status must not say autoscaling is active.
            Assert.That((autoscaling.Status, autoscaling.Reason), Is.EqualTo(("False", CeleryConditions.Reasons.InvalidSpec)));
            Assert.That(bad.Status.Workers!.Single().Autoscaler!.Active, Is.False);
            if (op.Emulator is not null)
            {
                // One log entry per reconcile of the invalid resource, not one from the reconciler and one from the controller.
                Assert.That(invalidLogs, Is.Not.Empty);
                Assert.That(invalidLogs.Select(e => e.Category).Distinct(), Is.EqualTo(new[] { typeof(Operator.Runtime.Reconcile.Controller).FullName }));
            }
        });
    }

    [Test]
    public async Task AGroupWithoutAResourceRequestIsAppliedWithEverythingElseAndTheRiskIsReported()
    {
        await using var op = await StartWithBrokerAsync("norequest");
        (await op.KubectlApplyAsync(Sample(
            "norequest",
            workers: """
                  workers:
                    - name: cpu
                      autoscaling: {minReplicas: 1, maxReplicas: 4, cpu: {targetUtilization: 60}}
                    - name: limited
                      resources: {limits: {memory: 512Mi}}
                      autoscaling: {minReplicas: 1, maxReplicas: 4, memory: {targetUtilization: 70}}
                    - name: fixed
                      replicas: 1

                """,
            extra: "  beat: {enabled: true}\n"))).EnsureSuccess();

        var celery = await op.WaitForConditionAsync(op.Namespace, "norequest", CeleryConditions.AutoscalingActive, "Unknown", CeleryConditions.Reasons.ResourceRequestMissing);
        var message = celery.Status!.Conditions!.Single(c => c.Type == CeleryConditions.AutoscalingActive).Message;
        var hpas = await op.Client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(op.Namespace);
        var events = await Eventually.GetAsync(
            async () => (await op.Client.CoreV1.ListNamespacedEventAsync(op.Namespace)).Items.Where(e => e.Reason == CeleryConditions.Reasons.ResourceRequestMissing && e.InvolvedObject.Name == "norequest").ToList(),
            e => e.Count > 0,
            TimeSpan.FromSeconds(20),
            "a ResourceRequestMissing event");
        Assert.Multiple(async () =>
        {
            foreach (var deployment in new[] { "norequest-worker-cpu", "norequest-worker-limited", "norequest-worker-fixed", "norequest-beat", "norequest-flower" })
            {
                Assert.That(await DeploymentAsync(op, deployment), Is.Not.Null, deployment);
            }

            Assert.That(hpas.Items.Select(h => h.Metadata.Name), Is.SupersetOf(new[] { "norequest-worker-cpu", "norequest-worker-limited" }));
            Assert.That(message, Does.Contain("worker group cpu").And.Contain("spec.workers[0].resources.requests.cpu"));
            // A limit stands in for the request: Kubernetes copies it.
            Assert.That(message, Does.Not.Contain("worker group limited"));
            Assert.That(events, Has.Count.EqualTo(1));
            Assert.That(celery.Status.Conditions!.Single(c => c.Type == CeleryConditions.Degraded).Status, Is.EqualTo("False"));
        });

        // Every warning is listed in status.warnings: here also the groups whose pool size falls back to the node's CPUs.
        var nodeSized = await Eventually.GetAsync(
            async () => (await op.Client.CoreV1.ListNamespacedEventAsync(op.Namespace)).Items.Where(e => e.Reason == SpecWarning.ConcurrencyFromNode && e.InvolvedObject.Name == "norequest").ToList(),
            e => e.Count > 0,
            TimeSpan.FromSeconds(20),
            "a ConcurrencyFromNode event");
        Assert.Multiple(() =>
        {
            Assert.That(celery.Status.Warnings, Has.Some.StartsWith("spec.workers[0].resources.requests.cpu: "));
            Assert.That(celery.Status.Warnings, Has.Some.StartsWith("spec.workers[2].concurrency: ").And.Some.Contains("one pool process per CPU of the node"));
            Assert.That(nodeSized.Single().Message, Does.Contain("worker group fixed"));
        });
    }

    [Test]
    public async Task AnObjectWithOurNameButNotOursIsNeverOverwritten()
    {
        await using var op = await StartWithBrokerAsync("clash");
        await op.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "clash-worker-default" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "foreign" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "foreign" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "foreign:1" }] },
                },
            },
        }, op.Namespace);
        (await op.KubectlApplyAsync(Sample("clash"))).EnsureSuccess();
        await op.WaitForConditionAsync(op.Namespace, "clash", CeleryConditions.Degraded, "True", CeleryConditions.Reasons.NameConflict);
        var after = (await DeploymentAsync(op, "clash-worker-default"))!;
        Assert.Multiple(() =>
        {
            Assert.That(after.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("foreign:1"));
            Assert.That(after.Metadata.OwnerReferences, Is.Null.Or.Empty);
            Assert.That(after.Metadata.ManagedFields.Select(f => f.Manager), Has.None.EqualTo(CeleryControllerSettings.FieldManager), "the operator never applied to it");
            if (op.Audit is not null)
            {
                Assert.That(op.OperatorWrites().Where(w => w.Name == "clash-worker-default"), Is.Empty);
            }
        });
    }

    [Test]
    public async Task DeletingTheResourceLeavesNoChild()
    {
        await using var op = await StartWithBrokerAsync("gone");
        if (op.Controllers.NoGarbageCollector is { } reason)
        {
            Assert.Ignore(reason);
        }

        (await op.KubectlApplyAsync(Sample("gone", extra: "  beat:\n    enabled: true\n"))).EnsureSuccess();
        await op.WaitForConvergedAsync("gone");
        (await op.Kubectl.RunAsync("delete", "celery", "gone")).EnsureSuccess();
        await Eventually.GetAsync(
            async () => (await op.Client.AppsV1.ListNamespacedDeploymentAsync(op.Namespace)).Items.Count(d => d.Metadata.Name.StartsWith("gone-", StringComparison.Ordinal))
                + (await op.Client.CoreV1.ListNamespacedServiceAsync(op.Namespace)).Items.Count(s => s.Metadata.Name.StartsWith("gone-", StringComparison.Ordinal)),
            n => n == 0, op.ActTimeout, "children collected");
    }
}
