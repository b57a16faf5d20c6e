// Scenarios 4 and 5: two operator processes with distinct identities and emulator users. Killing the leader
// (SIGKILL) hands the lease to the standby within the lease duration plus one retry period; SIGTERM drains the
// leader's in-flight reconciles and releases the lease, so the standby takes over at once (well inside the lease
// duration). In both, the audit log shows the two never wrote at the same time, and the fleet converges.
using System.Diagnostics;

namespace Operator.IntegrationTests.Chaos;

[Category("Chaos")]
public sealed class LeaderFailoverTests
{
    [Test]
    public async Task KilledLeaderIsReplacedWithinTheLeaseDurationAndNeverTwoWriters()
    {
        await using var cluster = await ProcessCluster.StartAsync(ChaosScale.ProcessResources);
        var (leader, standby) = await StartPairAsync(cluster);

        await leader.KillAsync();
        var killed = Stopwatch.StartNew();
        await cluster.WaitForHolderAsync(standby.User, ProcessCluster.StartupTimeout, standby);
        var takeover = killed.Elapsed;
        cluster.Cluster.Session.Emulator.Faults.Clear();
        // The standby measures the lease by its own clock from when it saw the last renewal (one of its polls), and
        // acts at a poll: from that observation, take-over is due within lease duration + one jittered retry period.
        var lastRenewal = cluster.Audit.Where(e => e.User == leader.User && e.Resource == "leases" && e.IsWrite && e.StatusCode < 300)[^1].Time;
        var observed = cluster.Audit.Where(e => e.User == standby.User && e.Resource == "leases" && e.Verb == "get" && e.Time > lastRenewal)[0].Time;
        var acquired = cluster.Audit.Where(e => e.User == standby.User && e.Resource == "leases" && e.IsWrite && e.StatusCode < 300)[0].Time;
        Assert.That(acquired - observed, Is.LessThanOrEqualTo(OperatorProcess.LeaseDuration + OperatorProcess.JitteredRetryPeriod + PollSlack), "take-over within lease duration + one (jittered) retry period of observing the last renewal");

        var figures = await ConvergenceVerdict.AssertAsync(new ConvergenceCheck(cluster.Client), standby.ScrapeAsync, () => [], killed, TimeSpan.FromSeconds(90));
        cluster.AssertWritersNeverOverlap(leader.User, standby.User);
        cluster.AssertNoChildCreatedTwice();
        TestContext.Out.WriteLine($"fail-over: {ChaosScale.ProcessResources} resources, SIGKILL of the leader, take-over {takeover.TotalSeconds:0.00}s after the kill, {(acquired - observed).TotalSeconds:0.00}s after observing the last renewal (lease {OperatorProcess.LeaseDuration.TotalSeconds}s, retry {OperatorProcess.RetryPeriod.TotalSeconds}s jittered up to {OperatorProcess.JitteredRetryPeriod.TotalSeconds}s); {figures}");
    }

    [Test]
    public async Task TerminatedLeaderDrainsReleasesTheLeaseAndTheStandbyTakesOverAtOnce()
    {
        await using var cluster = await ProcessCluster.StartAsync(ChaosScale.ProcessResources);
        var (leader, standby) = await StartPairAsync(cluster);

        var terminated = Stopwatch.StartNew();
        await leader.TerminateAsync(TimeSpan.FromSeconds(20));
        var drained = terminated.Elapsed;
        Assert.That(leader.ExitCode, Is.Zero, leader.RecentLog);
        Assert.That(await cluster.LeaseHolderAsync() is null or "" || await cluster.LeaseHolderAsync() == standby.User, Is.True, "the lease was released on SIGTERM");
        await cluster.WaitForHolderAsync(standby.User, OperatorProcess.LeaseDuration * 3, standby);
        var takeover = terminated.Elapsed - drained;
        cluster.Cluster.Session.Emulator.Faults.Clear();
        Assert.That(takeover, Is.LessThan(OperatorProcess.JitteredRetryPeriod + PollSlack), "the standby takes over at its next attempt, not after the lease duration");
        Assert.That(OperatorProcess.JitteredRetryPeriod + PollSlack, Is.LessThan(OperatorProcess.LeaseDuration), "the bound above tells release from expiry");

        var figures = await ConvergenceVerdict.AssertAsync(new ConvergenceCheck(cluster.Client), standby.ScrapeAsync, () => [], terminated, TimeSpan.FromSeconds(90));
        cluster.AssertWritersNeverOverlap(leader.User, standby.User);
        cluster.AssertNoChildCreatedTwice();
        TestContext.Out.WriteLine($"graceful: {ChaosScale.ProcessResources} resources, SIGTERM drained in {drained.TotalSeconds:0.00}s, take-over {takeover.TotalSeconds:0.00}s after exit; {figures}");
    }

    // Polling the Lease and scheduling two processes on two cores costs up to about this much on top.
    private static readonly TimeSpan PollSlack = TimeSpan.FromSeconds(1);

    /// <summary>Leader "operator-a" mid-convergence (slowed by latency) and a synced standby "operator-b".</summary>
    private static async Task<(OperatorProcess Leader, OperatorProcess Standby)> StartPairAsync(ProcessCluster cluster)
    {
        cluster.Cluster.Session.Emulator.Faults.SetLatency(TimeSpan.FromMilliseconds(30));
        var leader = cluster.StartOperator("operator-a");
        await cluster.WaitForHolderAsync(leader.User, ProcessCluster.StartupTimeout);
        var standby = cluster.StartOperator("operator-b");
        await Eventually.GetAsync(async () => await standby.ReadyzAsync(), r => r == (200, "standby"), TimeSpan.FromSeconds(60), "operator-b is a synced standby");
        var target = ChaosScale.ProcessResources / 3;
        await Eventually.GetAsync(() => Task.FromResult(cluster.ChildWritesBy(leader.User).Count), n => n >= target, TimeSpan.FromSeconds(60), $"the leader wrote {target} children");
        return (leader, standby);
    }
}
