// Scenario 1: watch streams closed every few seconds while a fleet converges and is updated at random, history
// compaction so every resume gets 410 Gone and must relist, an expiry of the Celery watch's resourceVersion alone, a
// stall that keeps streams open but silent, and a hang that outlives the streams' timeoutSeconds.
using System.Diagnostics;
using Operator.Celery.Model;
using Operator.Emulator.Faults;

namespace Operator.IntegrationTests.Chaos;

[Category("Chaos")]
[EmulatorOnly("breaks watches through the emulator's fault injection")]
public sealed class WatchFaultTests
{
    private const int MinimumFaults = 6;

    [Test]
    public async Task FleetConvergesThroughClosedStalledAndExpiredWatches()
    {
        await using var op = await InProcessOperator.StartClusterAsync();
        var faults = op.Session.Emulator.Faults;
        var fleet = new CeleryFleet(op.Client, ChaosScale.Seed);
        await fleet.CreateNamespacesAsync(ChaosScale.Resources);
        op.StartOperator();

        using var chaos = new CancellationTokenSource();
        var injected = 0;
        var closer = Task.Run(async () =>
        {
            var random = new Random(ChaosScale.Seed + 1);
            // At least MinimumFaults, however fast the fleet is written.
            while (!chaos.IsCancellationRequested || Volatile.Read(ref injected) < MinimumFaults)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 1500)), CancellationToken.None);
                switch (Interlocked.Increment(ref injected) % 3)
                {
                    case 1:
                        faults.CompactHistory();
                        faults.CloseAllWatches();
                        break;
                    case 2:
                        // Only the Celery informer's resourceVersion expires: it relists, the others resume.
                        faults.ExpireWatches(new WatchExpiry(CeleryResource.Plural, op.Session.Emulator.Store.Snapshot.ResourceVersion));
                        faults.CloseAllWatches();
                        break;
                    default:
                        faults.CloseAllWatches();
                        break;
                }
            }
        });

        await fleet.CreateAsync(ChaosScale.Resources);
        await fleet.UpdateRandomAsync(ChaosScale.Updates / 2);
        await chaos.CancelAsync();
        await closer;

        // A stall: streams stay open and silent while more updates land; the informers must not lose them.
        // The informers must not hang on a silent stream (it ends by its timeout or the inactivity watchdog) and
        // must not lose what landed meanwhile.
        long Restarts() => op.Counters.WatchRestarts("closed") + op.Counters.WatchRestarts("inactivity");
        var restartsBefore = Restarts();
        faults.StallWatches(true);
        await fleet.UpdateRandomAsync(ChaosScale.Updates - (ChaosScale.Updates / 2));
        await Eventually.GetAsync(() => Task.FromResult(Restarts()), n => n > restartsBefore, TimeSpan.FromSeconds(15), "a stalled watch was restarted");
        faults.StallWatches(false);

        // A hang: the open streams go silent past their timeoutSeconds; only the informers' inactivity watchdog can
        // notice, and nothing that lands meanwhile may be lost.
        var inactivityBefore = op.Counters.WatchRestarts("inactivity");
        faults.HangOpenWatches();
        await fleet.UpdateRandomAsync(Math.Max(1, ChaosScale.Updates / 10));
        await Eventually.GetAsync(() => Task.FromResult(op.Counters.WatchRestarts("inactivity")), n => n > inactivityBefore, TimeSpan.FromSeconds(15), "the inactivity watchdog replaced a hung watch");
        faults.Clear();
        var stopped = Stopwatch.StartNew();

        op.AssertRunning();
        Assert.That(op.Counters.WatchRestarts("expired"), Is.GreaterThan(0), "an expired resourceVersion made an informer relist");
        var figures = await ConvergenceVerdict.AssertAsync(new ConvergenceCheck(op.Client), () => Task.FromResult(op.Counters.Read()), () => op.Overlaps.Overlaps, stopped, TimeSpan.FromSeconds(90));
        TestContext.Out.WriteLine($"watch faults: {ChaosScale.Resources} resources, {ChaosScale.Updates} updates, {injected} watch faults (a third with compaction, a third expiring the Celery watch's version), 1 stall, 1 hang; restarts closed/expired/inactivity/error {op.Counters.WatchRestarts("closed")}/{op.Counters.WatchRestarts("expired")}/{op.Counters.WatchRestarts("inactivity")}/{op.Counters.WatchRestarts("error")}; {figures}");
    }
}
