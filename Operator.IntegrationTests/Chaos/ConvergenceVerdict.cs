// The end of every scenario, the same four checks in the same order:
//  1. the cluster converges (ConvergenceCheck reports nothing) before a deadline; the time from "faults stopped"
//     to convergence is a figure of the scenario;
//  2. no key was ever reconciled by two workers at once;
//  3. over a quiet window after convergence the reconcile and retry counters stand still, except for keys that
//     legitimately keep retrying (a missing Secret), which exponential backoff must keep to log2(window / base delay) + 1 reconciles each;
//  4. a final convergence check, so nothing the quiet window saw undid the state.
using System.Diagnostics;

namespace Operator.IntegrationTests.Chaos;

/// <summary>Runs the end-of-scenario checks and returns the scenario's figures.</summary>
internal static class ConvergenceVerdict
{
    public static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(3);

    public static async Task<ScenarioFigures> AssertAsync(
        ConvergenceCheck check,
        Func<Task<CounterReading>> counters,
        Func<IReadOnlyList<string>> overlaps,
        Stopwatch sinceFaultsStopped,
        TimeSpan timeout,
        int keysRetryingWithBackoff = 0)
    {
        await Eventually.GetAsync(() => check.RunAsync(), report => report.Converged, timeout, "converged after the faults stopped");

        var converged = sinceFaultsStopped.Elapsed;
        Assert.That(overlaps(), Is.Empty, "keys reconciled by two workers at once");

        // Convergence of the API objects can be seen a moment before the operator has handled the last watch events
        // that led to it (a Deployment's final rollout status, each enqueueing its owner once); the window starts
        // once the reconcile counter has stood still for a second. A loop never stands still, and one slower than
        // that is still inside the window that follows.
        await Eventually.GetAsync(
            async () =>
            {
                var first = await counters();
                await Task.Delay(TimeSpan.FromSeconds(1));
                return (await counters() - first).Reconciles;
            },
            reconciles => reconciles == 0,
            timeout,
            "the operator went quiet after convergence");

        // The quiet window is an observation period, not a wait for something to happen.
        var before = await counters();
        await Task.Delay(QuietWindow);
        var during = await counters() - before;
        // A key retrying with exponential backoff (base 5 ms, doubling) fits at most log2(window / 5 ms) + 1
        // attempts into the window, however long it has been failing; a hot loop would be thousands.
        var perKey = (int)Math.Ceiling(Math.Log2(QuietWindow.TotalMilliseconds / 5)) + 1;
        var allowance = keysRetryingWithBackoff * perKey;
        Assert.That(during.Reconciles, Is.LessThanOrEqualTo(allowance), $"reconciles in a {QuietWindow.TotalSeconds}s quiet window after convergence: {during}");
        Assert.That(during.Retries, Is.LessThanOrEqualTo(allowance), $"retries in the quiet window: {during}");

        var final = await check.RunAsync();
        Assert.That(final.Problems, Is.Empty, "the converged state holds after the quiet window");
        TestContext.Out.WriteLine($"converged {converged.TotalSeconds:0.0}s after the faults stopped; {final}; quiet window: {during}");
        return new ScenarioFigures(final, converged, during);
    }
}

/// <summary>What a scenario reports for docs/reliability.md.</summary>
internal sealed record ScenarioFigures(ConvergenceReport Report, TimeSpan TimeToConverge, CounterReading QuietWindow);
