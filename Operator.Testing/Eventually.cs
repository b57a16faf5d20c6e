// Polling with a deadline: the only way tests wait for something another thread, process or clock does.
// Invariants: every wait has a deadline and says what it waited for; a wait that times out throws a
// TimeoutException naming the last value (or error) it saw, so a failure says what was wrong; no wait pauses longer
// than MaxInterval between two reads. Every entry point runs the one loop below.
using Microsoft.Extensions.Time.Testing;

namespace Operator.Testing;

/// <summary>Polls a condition until it holds or a deadline passes.</summary>
public static class Eventually
{
    /// <summary>How long a wait takes at most when the caller names no timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(250);

    // Between two steps of fake time only the continuations of the timers a step fired need to run, so the real
    // pause stays short: minutes of fake time pass in seconds.
    private static readonly TimeSpan FakeTimeStepPause = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Returns the first value of <paramref name="read"/> that satisfies <paramref name="done"/>; a read that throws
    /// counts as not yet (a server still starting), and its error is what a timeout reports.
    /// </summary>
    /// <exception cref="TimeoutException">No value satisfied it before <paramref name="timeout"/>.</exception>
    public static Task<T> UntilAsync<T>(string what, TimeSpan timeout, Func<CancellationToken, Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken) =>
        PollAsync(what, timeout, read, done, retryErrors: true, describe: null, cancellationToken);

    /// <summary>Waits until <paramref name="condition"/> returns true; a read that throws counts as not yet.</summary>
    /// <exception cref="TimeoutException">It did not before <paramref name="timeout"/>.</exception>
    public static Task UntilAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken) =>
        PollAsync(what, timeout, condition, ok => ok, retryErrors: true, describe: null, cancellationToken);

    /// <summary>Returns the first value of <paramref name="probe"/> that satisfies <paramref name="done"/>; a probe that throws ends the wait.</summary>
    /// <exception cref="TimeoutException">No value satisfied it before the timeout (<see cref="DefaultTimeout"/> unless given).</exception>
    public static Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null) =>
        PollAsync(because ?? "(no description)", timeout ?? DefaultTimeout, _ => probe(), done, retryErrors: false, describe: null, CancellationToken.None);

    /// <summary>Waits until <paramref name="condition"/> holds; a condition that throws ends the wait.</summary>
    /// <param name="lastSeen">What a timeout reports beside <paramref name="because"/>, read when it happens.</param>
    /// <exception cref="TimeoutException">It did not hold before the timeout (<see cref="DefaultTimeout"/> unless given).</exception>
    public static Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null, Func<string>? lastSeen = null) =>
        PollAsync(because, timeout ?? DefaultTimeout, _ => condition(), ok => ok, retryErrors: false, describe: lastSeen, CancellationToken.None);

    /// <inheritdoc cref="TrueAsync(Func{Task{bool}}, string, TimeSpan?, Func{string}?)"/>
    public static Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null, Func<string>? lastSeen = null) =>
        TrueAsync(() => Task.FromResult(condition()), because, timeout, lastSeen);

    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> between reads, letting the timers it fires and
    /// their continuations run, until <paramref name="condition"/> holds.
    /// </summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="maxFakeTime"/> of fake time (5 minutes unless given) or <see cref="DefaultTimeout"/> of real time.</exception>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> condition, string because, TimeSpan? maxFakeTime = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var limit = time.GetUtcNow() + (maxFakeTime ?? TimeSpan.FromMinutes(5));
        await PollAsync(because, DefaultTimeout, _ =>
        {
            if (condition())
            {
                return Task.FromResult(true);
            }

            if (time.GetUtcNow() > limit)
            {
                throw new TimeoutException($"{because}: not reached within {maxFakeTime ?? TimeSpan.FromMinutes(5)} of fake time");
            }

            time.Advance(step);
            return Task.FromResult(false);
        }, ok => ok, retryErrors: false, describe: null, CancellationToken.None, FakeTimeStepPause).ConfigureAwait(false);
    }

    private static async Task<T> PollAsync<T>(
        string what,
        TimeSpan timeout,
        Func<CancellationToken, Task<T>> read,
        Func<T, bool> done,
        bool retryErrors,
        Func<string>? describe,
        CancellationToken cancellationToken,
        TimeSpan? pause = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var maxInterval = pause ?? MaxInterval;
        var interval = pause ?? FirstInterval;
        var last = "(never read)";
        while (true)
        {
            try
            {
                var value = await read(cancellationToken).ConfigureAwait(false);
                if (done(value))
                {
                    return value;
                }

                last = value?.ToString() ?? "null";
            }
            catch (Exception e) when (retryErrors && e is not OperationCanceledException)
            {
                last = e.GetType().Name + ": " + e.Message;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0.#} s; last seen: {describe?.Invoke() ?? last}");
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, maxInterval.Ticks));
        }
    }
}
