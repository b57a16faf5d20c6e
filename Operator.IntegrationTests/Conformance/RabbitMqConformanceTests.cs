// The conformance checks on a RabbitMQ broker: rabbitmq-hpa.yaml, and redis-keda.yaml rendered with its broker
// type set to rabbitmq, since no sample combines RabbitMQ with KEDA, beat and several queues per group.
namespace Operator.IntegrationTests.Conformance;

public sealed class RabbitMqConformanceTests : BrokerConformanceTests
{
    [TestCase("rabbitmq-hpa.yaml", "ingest")]
    [TestCase("rabbitmq-hpa.yaml", "render")]
    [TestCase("redis-keda.yaml", "emails")]
    public Task WorkerConsumesExactlyItsQueues(string sample, string group) => AssertWorkerConsumesExactlyItsQueuesAsync(sample, group);

    [TestCase("rabbitmq-hpa.yaml", "render")]
    public Task SigtermGivesWarmShutdown(string sample, string group) => AssertWarmShutdownAsync(sample, group);

    [Test]
    public Task PendingTasksAccumulateWhereKedaLooks() => AssertPendingTasksAccumulateWhereKedaLooksAsync("redis-keda.yaml");

    [Test]
    public Task BeatSchedulesPeriodicTask() => AssertBeatSchedulesPeriodicTaskAsync("redis-keda.yaml");

    [Test]
    public Task RecommendedProbesFollowWorkerAndBrokerHealth() => AssertRecommendedProbesAsync();

    private protected override async Task<IBrokerServer> StartBrokerAsync(CancellationToken cancellationToken)
    {
        LocalPrograms.RequireRabbitMq();
        return await RabbitMqServer.StartNewAsync(cancellationToken);
    }
}
