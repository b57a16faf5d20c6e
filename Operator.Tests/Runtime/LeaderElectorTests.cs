using Microsoft.Extensions.Time.Testing;
using Operator.Runtime.LeaderElection;

namespace Operator.Tests.Runtime;

public sealed class LeaderElectorTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);

    private sealed class Candidate
    {
        private int started;
        private int stopped;

        public Candidate(string identity, ILeaseLock store, TimeProvider time)
        {
            Elector = new LeaderElector(
                store,
                new LeaderElectionOptions { Identity = identity },
                new LeaderCallbacks(
                    async token =>
                    {
                        Interlocked.Increment(ref started);
                        try
                        {
                            await Task.Delay(Timeout.Infinite, token);
                        }
                        catch (OperationCanceledException)
                        {
                            WorkEndedBeforeRelease = store is InMemoryLeaseLock memory && memory.Record?.HolderIdentity == identity;
                        }
                    },
                    () => Interlocked.Increment(ref stopped)),
                time);
        }

        public LeaderElector Elector { get; }

        public CancellationTokenSource Stop { get; } = new();

        public Task Run { get; private set; } = Task.CompletedTask;

        public int Started => Volatile.Read(ref started);

        public int Stopped => Volatile.Read(ref stopped);

        public bool WorkEndedBeforeRelease { get; private set; }

        public Candidate Start()
        {
            Run = Elector.RunAsync(Stop.Token);
            return this;
        }
    }

    [Test]
    public async Task OneLeaderAtATimeAndAGracefulReleaseHandsOverQuickly()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryLeaseLock();
        var first = new Candidate("first", store, time).Start();
        await Eventually.AdvanceUntilAsync(time, Step, () => first.Elector.IsLeader && first.Started == 1, "the first candidate leads");
        var second = new Candidate("second", store, time).Start();

        var waited = TimeSpan.Zero;
        while (waited < TimeSpan.FromSeconds(30))
        {
            time.Advance(Step);
            waited += Step;
            await Task.Delay(2);
            Assert.That(second.Elector.IsLeader, Is.False, "a renewed lease is never taken over");
        }

        Assert.That(second.Elector.CurrentLeader, Is.EqualTo("first"));
        await first.Stop.CancelAsync();
        await first.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(first.WorkEndedBeforeRelease, Is.True, "the leading work ends before the lease is released");
        Assert.That(first.Stopped, Is.EqualTo(1));
        Assert.That(store.Record!.HolderIdentity, Is.Empty);
        Assert.That(store.Record.LeaseDurationSeconds, Is.EqualTo(1));

        var before = time.GetUtcNow();
        await Eventually.AdvanceUntilAsync(time, Step, () => second.Elector.IsLeader, "the standby takes over");
        Assert.That(time.GetUtcNow() - before, Is.LessThan(TimeSpan.FromSeconds(10)), "a released lease is not waited out");
        Assert.That(store.Record!.HolderIdentity, Is.EqualTo("second"));
        Assert.That(store.Record.LeaseTransitions, Is.EqualTo(1));
        await second.Stop.CancelAsync();
        await second.Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task AnAbandonedLeaseIsTakenOnlyAfterItsDurationAsSeenLocally()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryLeaseLock();
        var longAgo = time.GetUtcNow() - TimeSpan.FromDays(1);
        store.Set(new LeaderElectionRecord("ghost", 15, longAgo, longAgo, 3));
        var candidate = new Candidate("me", store, time).Start();

        await Eventually.AdvanceUntilAsync(time, Step, () => candidate.Elector.CurrentLeader == "ghost", "the lease is observed");
        var observed = time.GetUtcNow();
        await Eventually.AdvanceUntilAsync(time, Step, () => candidate.Elector.IsLeader, "the abandoned lease is taken");

        Assert.That(time.GetUtcNow() - observed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(15)), "the other clock's renewTime is not trusted");
        Assert.That(store.Record!.LeaseTransitions, Is.EqualTo(4));
        await candidate.Stop.CancelAsync();
        await candidate.Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task ALeaderThatCannotRenewWithinTheDeadlineStopsLeading()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryLeaseLock();
        var leader = new Candidate("me", store, time).Start();
        await Eventually.AdvanceUntilAsync(time, Step, () => leader.Elector.IsLeader, "it leads");

        store.Unreachable = true;
        var cut = time.GetUtcNow();
        await Eventually.AdvanceUntilAsync(time, Step, () => leader.Stopped == 1, "leadership is given up");

        Assert.That(leader.Elector.IsLeader, Is.False);
        Assert.That(time.GetUtcNow() - cut, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(8)).And.LessThan(TimeSpan.FromSeconds(15)), "about the renew deadline after the last renewal");

        store.Unreachable = false;
        await Eventually.AdvanceUntilAsync(time, Step, () => leader.Started == 2, "it campaigns again and wins");
        await leader.Stop.CancelAsync();
        await leader.Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void OptionsRejectADeadlineLongerThanTheLease() =>
        Assert.That(() => new LeaderElectionOptions { RenewDeadline = TimeSpan.FromSeconds(20) }.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
