// The conformance checks on a Redis broker (password-protected, Celery in database 3), with the samples that
// use Redis: minimal.yaml and redis-keda.yaml.
namespace Operator.IntegrationTests.Conformance;

public sealed class RedisConformanceTests : BrokerConformanceTests
{
    [TestCase("minimal.yaml", "default")]
    [TestCase("redis-keda.yaml", "default")]
    [TestCase("redis-keda.yaml", "emails")]
    public Task WorkerConsumesExactlyItsQueues(string sample, string group) => AssertWorkerConsumesExactlyItsQueuesAsync(sample, group);

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
    public Task RecommendedProbesFollowWorkerAndBrokerHealth() => AssertRecommendedProbesAsync();

    private protected override async Task<IBrokerServer> StartBrokerAsync(CancellationToken cancellationToken)
    {
        LocalPrograms.RequireRedis();
        return await RedisServer.StartNewAsync(cancellationToken);
    }
}
