using Operator.Benchmarks;
using Operator.Celery.Validation;

namespace Operator.Tests.Benchmarks;

// The benchmark's workload is a spec a user could apply without a word from the operator (a standing Warning is
// recorded again at every resync and would count as steady-state writes), and the backlog scenario's variant points
// each namespace at one of its Redis servers and gives every resource queues of its own.
public sealed class CeleryWorkloadTests
{
    [TestCase(null)]
    [TestCase(new[] { 7001, 7002 })]
    public void ResourcesAreValidAndDrawNoWarning(int[]? ports)
    {
        var workload = new CeleryWorkload(300, ports);
        foreach (var index in new[] { 0, 150, 299 })
        {
            var resource = workload.Resource(index);
            Assert.That(CeleryValidator.Validate(resource), Is.Empty, $"resource {index}");
            Assert.That(CeleryValidator.Warnings(resource), Is.Empty, $"resource {index}");
        }
    }

    [Test]
    public void WithRedisPortsNamespacesSpreadOverTheServersAndQueuesAreTheResources()
    {
        var workload = new CeleryWorkload(300, [7001, 7002]);
        Assert.Multiple(() =>
        {
            Assert.That(workload.BrokerUrl("bench-0"), Is.EqualTo("redis://:s3cret@127.0.0.1:7001/0"));
            Assert.That(workload.BrokerUrl("bench-1"), Is.EqualTo("redis://:s3cret@127.0.0.1:7002/0"));
            Assert.That(workload.BrokerUrl("bench-2"), Is.EqualTo("redis://:s3cret@127.0.0.1:7001/0"));
            Assert.That(workload.RedisPort(150), Is.EqualTo(7002));
            Assert.That(workload.Resource(150).Spec.Workers.Select(w => w.EffectiveQueues.Single()), Is.EqualTo(new[] { "app-150", "app-150-bulk" }));
            Assert.That(CeleryWorkload.IndexOf("app-150"), Is.EqualTo(150));
            Assert.That(CeleryWorkload.IndexOf("app-150-worker-bulk"), Is.Null);
        });
    }

    [Test]
    public void WithoutRedisPortsEveryResourceSharesTheDefaultQueues()
    {
        var workload = new CeleryWorkload(300);
        Assert.That(workload.BrokerUrl("bench-2"), Is.EqualTo("redis://:s3cret@redis.bench-2:6379/0"));
        Assert.That(workload.Resource(150).Spec.Workers.Select(w => w.EffectiveQueues.Single()), Is.EqualTo(new[] { "celery", "bulk" }));
    }
}
