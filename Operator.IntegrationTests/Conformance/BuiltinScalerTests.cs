// The builtin scaler end to end: the operator in-process on the emulator (which runs a Deployment controller), a real
// Redis broker whose list lengths are the backlog, the backlog read every second. What a user sees is asserted: the
// Deployment's spec.replicas, status.workers[].scaler, the Scaling condition, the ScaledUp/ScaledDown and
// ScaleTargetContested events and the celery_builtin_scaler_desired_replicas series. The messages are pushed onto the
// queue's list directly (the backlog reader counts list entries; a Celery client is not needed to make one).
using System.Diagnostics.Metrics;
using Operator.Celery.Backlog;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Celery.Scaling;
using Operator.IntegrationTests.Reconciliation;

namespace Operator.IntegrationTests.Conformance;

[Category(ConformanceCategory.Name)]
[NonParallelizable]
public sealed class BuiltinScalerTests : BrokerFixture
{
    private const string Name = "scaled";
    private const string Queue = "scaled.tasks";
    private const string Deployment = "scaled-worker-default";
    private const int ScaleDownWindowSeconds = 5;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private static readonly BacklogOptions Reader = new()
    {
        Interval = TimeSpan.FromSeconds(1),
        CallTimeout = TimeSpan.FromMilliseconds(800),
        BreakDuration = TimeSpan.FromSeconds(3),
    };

    private static readonly string Manifest = $$"""
        apiVersion: celeryproject.org/v1alpha1
        kind: Celery
        metadata: {name: {{Name}}}
        spec:
          image: example.com/scaled:1
          app: shop.celery:app
          broker:
            type: redis
            urlSecretRef: {name: {{Name}}-broker, key: url}
          flower: {enabled: false}
          workers:
            - name: default
              queues: [{{Queue}}]
              autoscaling:
                minReplicas: 0
                maxReplicas: 6
                queueLength: {targetPerReplica: 2, engine: builtin}
                behavior:
                  scaleDown: {stabilizationWindowSeconds: {{ScaleDownWindowSeconds}}}
        """;

    private protected override void RequireTools()
    {
        LocalPrograms.RequireRedis();
        Assume.That(KubectlRunner.Installed, "kubectl applies the resource");
    }

    private protected override async Task<IBrokerServer> StartBrokerAsync(CancellationToken cancellationToken) =>
        await RedisServer.StartNewAsync(cancellationToken);

    [SetUp]
    public Task EmptyQueues() => Broker.ResetAsync([Queue], Cancellation);

    [Test]
    public async Task TheBacklogScalesTheGroupOutInAndToZeroAndBackWithoutKeda()
    {
        await using var op = await StartOperatorAsync();

        // An empty queue: minReplicas (0) once the scale-down window has passed since the operator first saw the group.
        await WaitForReplicasAsync(op, 0);
        var idle = await WaitForScalerAsync(op, s => s.DesiredReplicas == 0 && s.CurrentReplicas == 0);
        Assert.Multiple(() =>
        {
            Assert.That(Condition(idle, CeleryConditions.Scaling)?.Status, Is.EqualTo("True"), "Scaling");
            Assert.That(Condition(idle, CeleryConditions.AutoscalingActive)?.Status, Is.EqualTo("True"), "no KEDA, no complaint");
        });
        Assert.That(await op.Client.CustomObjects.ListNamespacedCustomObjectAsync<object>("keda.sh", "v1alpha1", op.Namespace, "scaledobjects", cancellationToken: Cancellation)
            .ContinueWith(t => t.IsFaulted, Cancellation), Is.True, "KEDA is not installed: ScaledObjects are not even served");

        // A burst of 7 tasks: ceil(7 / 2) = 4 replicas, in the scaler pass right after the read that saw the burst.
        await PushAsync(7);
        var burst = await WaitForScalerAsync(op, s => s.CurrentReplicas == 4);
        var burstRead = burst.Status!.Queues!.Single(q => q.Name == Queue);
        Assert.Multiple(() =>
        {
            Assert.That(burstRead.Messages, Is.EqualTo(7));
            Assert.That(Scaler(burst).LastScaleReason, Does.StartWith("0 to 4 replicas: backlog 7 at 2 per replica recommends 4"));
            Assert.That(Scaler(burst).LastScaleTime - burstRead.ObservedAt, Is.LessThan(Reader.Interval), "scaled out within one read interval of the reading");
            Assert.That(DesiredReplicasMetric(op), Is.EqualTo(4), "celery_builtin_scaler_desired_replicas");
        });
        Assert.That((await op.Client.AppsV1.ReadNamespacedDeploymentAsync(Deployment, op.Namespace, cancellationToken: Cancellation)).Spec.Replicas, Is.EqualTo(4));
        await WaitForEventAsync(op, BuiltinScaler.ScaledUpReason, "0 to 4 replicas");

        // A spec change re-applies the Deployment: the scaler's count survives it (the applier does not own spec.replicas).
        (await op.KubectlApplyAsync(Manifest.Replace("image: example.com/scaled:1", "image: example.com/scaled:2", StringComparison.Ordinal))).EnsureSuccess();
        await Eventually.UntilAsync("the Deployment runs the new image", Settle,
            _ => op.Client.AppsV1.ReadNamespacedDeploymentAsync(Deployment, op.Namespace, cancellationToken: Cancellation),
            d => d.Spec.Template.Spec.Containers[0].Image == "example.com/scaled:2", Cancellation);
        Assert.That((await op.Client.AppsV1.ReadNamespacedDeploymentAsync(Deployment, op.Namespace, cancellationToken: Cancellation)).Spec.Replicas, Is.EqualTo(4), "an apply keeps the scaler's replicas");

        // Drained: the count stays for the scale-down window, then falls to zero.
        await DrainAsync();
        var drained = await Eventually.UntilAsync("the empty queue is read", Settle, _ => op.GetCeleryAsync(op.Namespace, Name)!,
            c => c?.Status?.Queues?.SingleOrDefault(q => q.Name == Queue)?.Messages == 0, Cancellation);
        var emptyAt = drained!.Status!.Queues!.Single(q => q.Name == Queue).ObservedAt!.Value;
        var scaledIn = await WaitForScalerAsync(op, s => s.CurrentReplicas == 0);
        Assert.Multiple(() =>
        {
            // The window holds the highest recommendation made within it: it runs from the last reading of the burst,
            // one read interval (and a pass) before the first empty reading.
            Assert.That(Scaler(scaledIn).LastScaleTime - emptyAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(ScaleDownWindowSeconds) - (2 * Reader.Interval)), "not before the stabilization window");
            Assert.That(Scaler(scaledIn).LastScaleReason, Does.StartWith("4 to 0 replicas: backlog 0"));
        });
        await WaitForReplicasAsync(op, 0);
        await WaitForEventAsync(op, BuiltinScaler.ScaledDownReason, "4 to 0 replicas");

        // And back from zero with one task.
        await PushAsync(1);
        await WaitForReplicasAsync(op, 1);
    }

    /// <summary>Someone else's autoscaler on the group's Deployment: an HPA, or (with KEDA installed) a ScaledObject.</summary>
    private static IEnumerable<TestCaseData> OtherAutoscalers()
    {
        yield return new TestCaseData(false, "HorizontalPodAutoscaler/someone-elses", $$$"""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: someone-elses}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{{Deployment}}}}
              minReplicas: 1
              maxReplicas: 3
              metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target: {type: Utilization, averageUtilization: 50}
            """).SetName("AnotherHorizontalPodAutoscalerOnTheDeploymentIsNeverFought");
        yield return new TestCaseData(true, "ScaledObject/someone-elses", $$$"""
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: someone-elses}
            spec:
              scaleTargetRef: {name: {{{Deployment}}}}
              triggers: [{type: cpu, metricType: Utilization, metadata: {value: "50"}}]
            """).SetName("AnotherScaledObjectOnTheDeploymentIsNeverFought");
    }

    [TestCaseSource(nameof(OtherAutoscalers))]
    public async Task AnotherAutoscalerOnTheDeploymentIsNeverFought(bool installKeda, string other, string manifest)
    {
        await using var op = await StartOperatorAsync(installKeda);
        await WaitForReplicasAsync(op, 0);

        (await op.KubectlApplyAsync(manifest)).EnsureSuccess();
        var contested = await op.WaitForConditionAsync(op.Namespace, Name, CeleryConditions.Scaling, "False", CeleryConditions.Reasons.ScaleTargetContested, Settle);
        Assert.That(Condition(contested, CeleryConditions.Scaling)!.Message, Does.Contain(other));
        await WaitForEventAsync(op, CeleryConditions.Reasons.ScaleTargetContested, other);

        // A burst while contested changes nothing: the backlog is read, the replicas are left alone.
        await PushAsync(9);
        await Eventually.UntilAsync("the burst is read", Settle, _ => op.GetCeleryAsync(op.Namespace, Name)!,
            c => c?.Status?.Queues?.SingleOrDefault(q => q.Name == Queue)?.Messages == 9, Cancellation);

        // Redis counts the reader's LLENs: ten lists a pass (the queue and its nine priority lists).
        var readsBefore = await LengthReadsAsync();
        await Eventually.UntilAsync("three more backlog passes, each followed by a scaler pass", Settle, async _ => await LengthReadsAsync() >= readsBefore + 30, Cancellation);
        Assert.That((await op.Client.AppsV1.ReadNamespacedDeploymentAsync(Deployment, op.Namespace, cancellationToken: Cancellation)).Spec.Replicas, Is.EqualTo(0), "never fights the other autoscaler");

        (await op.Kubectl.RunWithInputAsync(manifest, "delete", "-f", "-")).EnsureSuccess();
        await op.WaitForConditionAsync(op.Namespace, Name, CeleryConditions.Scaling, "True", CeleryConditions.Reasons.ScalerActive, Settle);
        await WaitForReplicasAsync(op, 4);
    }

    private async Task<OperatorUnderTest> StartOperatorAsync(bool installKeda = false)
    {
        var op = await OperatorUnderTest.StartAsync(installKeda: installKeda, backlog: Reader);
        await op.CreateSecretAsync(op.Namespace, $"{Name}-broker", new Dictionary<string, string> { ["url"] = Broker.BrokerUrl });
        (await op.KubectlApplyAsync(Manifest)).EnsureSuccess();
        return op;
    }

    private async Task PushAsync(int tasks)
    {
        await using var client = await ((RedisServer)Broker).ConnectAsync(RedisServer.BrokerDatabase, Cancellation);
        await client.CommandAsync(Cancellation, ["RPUSH", Queue, .. Enumerable.Range(0, tasks).Select(i => $"task-{i}")]);
    }

    private async Task<long> LengthReadsAsync()
    {
        await using var client = await ((RedisServer)Broker).ConnectAsync(RedisServer.BrokerDatabase, Cancellation);
        var stats = (await client.CommandAsync(Cancellation, "INFO", "commandstats")).Text ?? "";
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_llen:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task DrainAsync()
    {
        await using var client = await ((RedisServer)Broker).ConnectAsync(RedisServer.BrokerDatabase, Cancellation);
        await client.CommandAsync(Cancellation, "DEL", Queue);
    }

    private Task WaitForReplicasAsync(OperatorUnderTest op, int replicas) =>
        Eventually.UntilAsync($"{Deployment} has {replicas} replicas", Settle,
            async ct => (await op.Client.AppsV1.ReadNamespacedDeploymentAsync(Deployment, op.Namespace, cancellationToken: ct)).Spec.Replicas == replicas, Cancellation);

    private async Task<CeleryResource> WaitForScalerAsync(OperatorUnderTest op, Func<BuiltinScalerStatus, bool> done) =>
        (await Eventually.UntilAsync("status.workers[0].scaler", Settle, _ => op.GetCeleryAsync(op.Namespace, Name)!,
            c => c?.Status?.Workers?.SingleOrDefault()?.Scaler is { } scaler && done(scaler), Cancellation))!;

    private Task WaitForEventAsync(OperatorUnderTest op, string reason, string text) =>
        Eventually.UntilAsync($"a {reason} event saying {text}", Settle, async ct =>
            (await op.Client.CoreV1.ListNamespacedEventAsync(op.Namespace, cancellationToken: ct)).Items
                .Any(e => e.Reason == reason && e.InvolvedObject.Name == Name && e.Message.Contains(text, StringComparison.Ordinal)), Cancellation);

    private static BuiltinScalerStatus Scaler(CeleryResource resource) => resource.Status!.Workers!.Single().Scaler!;

    private static V1Condition? Condition(CeleryResource? resource, string type) =>
        resource?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static int? DesiredReplicasMetric(OperatorUnderTest op)
    {
        var module = op.Module ?? throw new InvalidOperationException("in-process only");
        int? measured = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == module.ScalerMetrics.Meter && instrument.Name == BuiltinScalerMetrics.DesiredReplicas)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "group" && (string?)tag.Value == "default")
                {
                    measured = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }
}
