// Scenario 2: 10% of the operator's requests fail with 500 or 503, 429 with Retry-After, and latency spikes,
// while a fleet converges. Retries must follow the rate limiter: every failed reconcile is counted as an error
// and retried through the rate-limited queue (workqueue_retries_total), never in a hot loop.
using System.Diagnostics;
using Operator.Emulator.Faults;

namespace Operator.IntegrationTests.Chaos;

[Category("Chaos")]
[EmulatorOnly("injects API faults and counts the failed requests in the emulator's audit log")]
public sealed class ApiFaultTests
{
    [Test]
    public async Task FleetConvergesThroughServerErrorsThrottlingAndLatency()
    {
        await using var op = await InProcessOperator.StartClusterAsync();
        var faults = op.Session.Emulator.Faults;
        var fleet = new CeleryFleet(op.Client, ChaosScale.Seed);
        await fleet.CreateNamespacesAsync(ChaosScale.Resources);

        faults.Add(new FaultRule(500, Probability: 0.04));
        faults.Add(new FaultRule(503, Probability: 0.04));
        faults.Add(new FaultRule(429, Probability: 0.02, RetryAfterSeconds: 1));
        op.StartOperator();
        var random = new Random(ChaosScale.Seed + 2);
        await fleet.CreateAsync(ChaosScale.Resources / 2);
        faults.SetLatency(TimeSpan.FromMilliseconds(random.Next(50, 150)));
        await fleet.CreateAsync(ChaosScale.Resources - (ChaosScale.Resources / 2));
        faults.SetLatency(TimeSpan.Zero);
        await fleet.UpdateRandomAsync(ChaosScale.Resources / 5);

        // Let the faults bite into convergence before they stop.
        await Eventually.GetAsync(() => Task.FromResult(op.Counters.Read()), c => c.Errors >= 5 && c.Retries >= 5, TimeSpan.FromSeconds(60), "failed reconciles retried through the queue");
        faults.Clear();
        var stopped = Stopwatch.StartNew();
        var failedRequests = op.Session.Emulator.Audit.Where(e => e.User == InProcessOperator.OperatorUser && e.StatusCode is 429 or 500 or 503);
        var atStop = op.Counters.Read();

        op.AssertRunning();
        var figures = await ConvergenceVerdict.AssertAsync(new ConvergenceCheck(op.Client), () => Task.FromResult(op.Counters.Read()), () => op.Overlaps.Overlaps, stopped, TimeSpan.FromSeconds(90));

        // Every failed reconcile went back through the rate limiter: retries at least match errors.
        Assert.That(atStop.Retries, Is.GreaterThanOrEqualTo(atStop.Errors), $"errors are retried through the rate-limited queue: {atStop}");
        // No hot loop: a reconcile costs a handful of requests, so reconciles stay within a small multiple of the
        // failed requests plus the resources and updates.
        Assert.That(figures.Report.Resources, Is.EqualTo(ChaosScale.Resources));
        var bound = (failedRequests.Count + ChaosScale.Resources + (ChaosScale.Resources / 5)) * 4;
        Assert.That(op.Counters.Read().Reconciles, Is.LessThan(bound), "reconciles stay proportional to faults and changes");
        TestContext.Out.WriteLine($"API faults: {ChaosScale.Resources} resources; operator requests failed: {failedRequests.Count} (429: {failedRequests.Count(e => e.StatusCode == 429)}); counters at stop {atStop}; {figures}");
    }
}
