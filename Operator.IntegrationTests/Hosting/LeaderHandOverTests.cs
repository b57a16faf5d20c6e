using Operator.Runtime;

namespace Operator.IntegrationTests.Hosting;

public sealed class LeaderHandOverTests
{
    private static readonly ObjectKey One = new("default", "one");

    private FakeKubernetesApi api = null!;
    private Timeline timeline = null!;

    [SetUp]
    public async Task SetUp()
    {
        api = await FakeKubernetesApi.StartAsync();
        timeline = new Timeline();
        api.OnLeaseWritten = holder => timeline.Record($"lease holder '{holder}'");
    }

    [TearDown]
    public async Task TearDown() => await api.DisposeAsync();

    [Test]
    public async Task TheStandbyReconcilesOnlyAfterTheLeaderStopsAndReleasesTheLease()
    {
        api.Apply("default", "one", new Dictionary<string, string> { ["a"] = "1" });
        await using var first = await TestOperator.StartAsync(api, timeline, "first");
        await Eventually.TrueAsync(async () => await first.GetAsync("/readyz") == (200, "leader"), "the first host leads");
        await Eventually.TrueAsync(() => first.Module.Reconciles.ContainsKey(One), "the leader reconciles");

        await using var second = await TestOperator.StartAsync(api, timeline, "second");
        await Eventually.TrueAsync(async () => await second.GetAsync("/readyz") == (200, "standby"), "the second host is a synced standby");
        var writesBefore = api.LeaseHolders().Count;
        await Eventually.TrueAsync(() => api.LeaseHolders().Count >= writesBefore + 3, "the leader renews while the standby campaigns");
        api.Apply("default", "two", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        await Eventually.TrueAsync(() => first.Module.Reconciles.ContainsKey(new ObjectKey("default", "two")), "the leader reconciles a new object");
        Assert.That(second.Module.Reconciles, Is.Empty, "a standby never reconciles");
        Assert.That(api.LeaseHolders(), Has.None.EqualTo("second"));

        await first.StopAsync();
        timeline.Record("first stopped");
        Assert.That(api.LeaseHolders(), Does.Contain(string.Empty), "the leader released the lease on stop");

        await Eventually.TrueAsync(async () => await second.GetAsync("/readyz") == (200, "leader"), "the standby takes over", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => second.Module.Reconciles.ContainsKey(One) && second.Module.Reconciles.ContainsKey(new ObjectKey("default", "two")), "the new leader reconciles every object");
        Assert.That(second.Module.DataKeys[new ObjectKey("default", "two")], Is.EqualTo(2), "the warm cache holds the objects");

        var lastFirstReconcile = timeline.IndexOfLast(e => e.StartsWith("first reconcile", StringComparison.Ordinal));
        var release = timeline.IndexOfFirst(e => e == "lease holder ''");
        var secondAcquires = timeline.IndexOfFirst(e => e == "lease holder 'second'");
        var firstSecondReconcile = timeline.IndexOfFirst(e => e.StartsWith("second reconcile", StringComparison.Ordinal));
        Assert.That(lastFirstReconcile, Is.LessThan(release), string.Join("\n", timeline.Events));
        Assert.That(release, Is.LessThan(secondAcquires), string.Join("\n", timeline.Events));
        Assert.That(secondAcquires, Is.LessThan(firstSecondReconcile), string.Join("\n", timeline.Events));
        Assert.That(first.Status.Failure, Is.Null);
    }
}
