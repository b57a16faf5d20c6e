// The conformance checks on a Redis broker (password-protected, Celery in database 3), with the samples that
// use Redis: minimal.yaml and redis-keda.yaml.
namespace Operator.IntegrationTests.Conformance;

public sealed class RedisConformanceTests : BrokerConformanceTests
{
    [TestCase("minimal.yaml", "default")]
    [TestCase("redis-keda.yaml", "default")]
    [TestCase("redis-keda.yaml", "emails")]
    [TestCase("fleet.yaml", "io")]
    public Task WorkerConsumesExactlyItsQueues(string sample, string group) => AssertWorkerConsumesExactlyItsQueuesAsync(sample, group);

    [Test]
    public Task ConcurrencyAndPrefetchDefaultsShowInInspectStats() => AssertDerivedDefaultsAsync("fleet.yaml", "gpu");

    [Test]
    public Task TimeLimitsInterruptAndKillATask() => AssertTimeLimitsAsync("fleet.yaml", "gpu");

    [Test]
    public Task FairOptimizationKeepsShortTasksMoving() => AssertFairSchedulingAsync("fleet.yaml", "gpu");

    [Test]
    public Task PoolAutoscaleGrowsThePool() => AssertPoolAutoscaleAsync("fleet.yaml", "reports");

    /// <summary>
    /// Tasks sent with priorities land in kombu's priority lists; the generated triggers count each list, and the
    /// formula sums them to the number of tasks sent. The group's worker drains every list.
    /// </summary>
    [Test]
    public async Task PriorityMessagesAreCountedWhereKedaLooks()
    {
        var rendered = RenderSample("fleet.yaml");
        var group = rendered.WorkerGroup("gpu");
        var queue = group.EffectiveQueues.Single();
        var scaledObject = rendered.ScaledObject(group.Name);
        var lists = scaledObject.Spec.Triggers.Select(t => t.Metadata["listName"]).ToList();
        await Broker.ResetAsync(lists, Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var container = rendered.WorkerContainer(group.Name);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        // kombu's default priority steps are 0, 3, 6, 9; a priority goes to the highest step not above it.
        int[] priorities = [0, 0, 3, 5, 7, 9, 9, 9];
        await client.SendAsync(priorities.Select((p, i) => TaskMessage.Record(queue, $"p{p}#{i}", p)), Cancellation);

        var metric = await KedaScaledObjectMetric.MeasureAsync(rendered, scaledObject, Cancellation);
        Assert.Multiple(() =>
        {
            Assert.That(metric.Triggers.Select(t => t.Value), Is.EqualTo(new long[] { 2, 2, 1, 3 }), $"{queue}, then its lists for steps 3, 6 and 9: {metric}");
            Assert.That(metric.Metric, Is.EqualTo(priorities.Length), "the scaler's total is every task sent");
        });

        var worker = workspace.Start(container, rendered);
        await Eventually.UntilAsync("KEDA's metric drains to 0 once the worker runs", TimeSpan.FromSeconds(60),
            ct => KedaScaledObjectMetric.MeasureAsync(rendered, scaledObject, ct), m => m.Metric == 0 || worker.HasExited, Cancellation);
        var records = await WaitForRecordsAsync(workspace, worker, "record", priorities.Length);
        Assert.That(records, Has.Count.EqualTo(priorities.Length), "the worker ran every task, whatever its priority");
        await worker.TerminateAsync(Cancellation);
        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(60), Cancellation), Is.Zero, worker.Output);
    }

    [TestCase("redis-keda.yaml", "default")]
    [TestCase("redis-keda.yaml", "emails")]
    public Task SigtermGivesWarmShutdown(string sample, string group) => AssertWarmShutdownAsync(sample, group);

    [Test]
    public Task PendingTasksAccumulateWhereKedaLooks() => AssertPendingTasksAccumulateWhereKedaLooksAsync("redis-keda.yaml");

    /// <summary>The trigger names the URL's database: the same list name in database 0 (KEDA's default) is empty.</summary>
    [Test]
    public async Task KedaTriggerNamesTheBrokerDatabase()
    {
        var rendered = RenderSample("redis-keda.yaml");
        var queue = rendered.WorkerGroup("default").EffectiveQueues[0];
        await Broker.ResetAsync([queue], Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(rendered.WorkerContainer("default")));
        await client.SendAsync([TaskMessage.Record(queue, "one")], Cancellation);

        var trigger = rendered.ScaledObject("default").Spec.Triggers.Single(t => t.Type == KedaRedisListScaler.TriggerType);
        var server = (RedisServer)Broker;
        await using var databaseZero = await server.ConnectAsync(0, Cancellation);
        Assert.Multiple(async () =>
        {
            Assert.That(trigger.Metadata["databaseIndex"], Is.EqualTo(RedisServer.BrokerDatabase.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(await KedaRedisListScaler.MeasureAsync(trigger, rendered.AuthenticationParameters(trigger), Cancellation), Is.EqualTo(1));
            Assert.That((await databaseZero.CommandAsync(Cancellation, "LLEN", queue)).AsInteger, Is.Zero);
        });
    }

    [Test]
    public Task BeatSchedulesPeriodicTask() => AssertBeatSchedulesPeriodicTaskAsync("redis-keda.yaml");

    [Test]
    public Task BeatKeepsItsScheduleOnItsClaim() => AssertBeatKeepsItsScheduleOnItsClaimAsync("redis-keda.yaml");

    [Test]
    public Task RecommendedProbesFollowWorkerAndBrokerHealth() => AssertRecommendedProbesAsync();

    private protected override async Task<IBrokerServer> StartBrokerAsync(CancellationToken cancellationToken)
    {
        LocalPrograms.RequireRedis();
        return await RedisServer.StartNewAsync(cancellationToken);
    }
}
