using Operator.Runtime;

namespace Operator.IntegrationTests.Hosting;

public sealed class LeaderHandOverTests : FakeApiHostTest
{
    private static readonly ObjectKey One = new("default", "one");

    [SetUp]
    public void RecordLeaseWrites() =>
        Api.Leases.OnWritten = holder => Timeline.Record($"lease holder '{holder}'");

    [Test]
    public async Task TheStandbyReconcilesOnlyAfterTheLeaderStopsAndReleasesTheLease()
    {
        Api.ConfigMaps.Apply("default", "one", new Dictionary<string, string> { ["a"] = "1" });
        await using var first = await TestOperator.StartAsync(Api, Timeline, "first");
        await Eventually.TrueAsync(async () => await first.GetAsync("/readyz") == (200, "leader"), "the first host leads");
        await Eventually.TrueAsync(() => first.Module.Reconciles.ContainsKey(One), "the leader reconciles");

        await using var second = await TestOperator.StartAsync(Api, Timeline, "second");
        await Eventually.TrueAsync(async () => await second.GetAsync("/readyz") == (200, "standby"), "the second host is a synced standby");
        var writesBefore = Api.Leases.Holders().Count;
        await Eventually.TrueAsync(() => Api.Leases.Holders().Count >= writesBefore + 3, "the leader renews while the standby campaigns");
        Api.ConfigMaps.Apply("default", "two", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        await Eventually.TrueAsync(() => first.Module.Reconciles.ContainsKey(new ObjectKey("default", "two")), "the leader reconciles a new object");
        Assert.That(second.Module.Reconciles, Is.Empty, "a standby never reconciles");
        Assert.That(Api.Leases.Holders(), Has.None.EqualTo("second"));

        await first.StopAsync();
        Timeline.Record("first stopped");
        Assert.That(Api.Leases.Holders(), Does.Contain(string.Empty), "the leader released the lease on stop");

        await Eventually.TrueAsync(async () => await second.GetAsync("/readyz") == (200, "leader"), "the standby takes over", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => second.Module.Reconciles.ContainsKey(One) && second.Module.Reconciles.ContainsKey(new ObjectKey("default", "two")), "the new leader reconciles every object");
        Assert.That(second.Module.DataKeys[new ObjectKey("default", "two")], Is.EqualTo(2), "the warm cache holds the objects");

        var lastFirstReconcile = Timeline.IndexOfLast(e => e.StartsWith("first reconcile", StringComparison.Ordinal));
        var release = Timeline.IndexOfFirst(e => e == "lease holder ''");
        var secondAcquires = Timeline.IndexOfFirst(e => e == "lease holder 'second'");
        var firstSecondReconcile = Timeline.IndexOfFirst(e => e.StartsWith("second reconcile", StringComparison.Ordinal));
        Assert.That(lastFirstReconcile, Is.LessThan(release), string.Join("\n", Timeline.Events));
        Assert.That(release, Is.LessThan(secondAcquires), string.Join("\n", Timeline.Events));
        Assert.That(secondAcquires, Is.LessThan(firstSecondReconcile), string.Join("\n", Timeline.Events));
        Assert.That(first.Status.Failure, Is.Null);
    }
}
