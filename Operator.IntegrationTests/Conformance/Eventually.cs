// Polling with a deadline: the only way these tests wait for another process. Invariant: every wait has a
// deadline and a description, and a timeout reports the last value seen so a failure says what was wrong.
namespace Operator.IntegrationTests.Conformance;

/// <summary>Polls a condition until it holds or a deadline passes.</summary>
internal static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns the first value of <paramref name="read"/> that satisfies <paramref name="done"/>.</summary>
    /// <exception cref="TimeoutException">No value satisfied it before <paramref name="timeout"/>.</exception>
    public static async Task<T> UntilAsync<T>(string what, TimeSpan timeout, Func<CancellationToken, Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "(never read)";
        while (true)
        {
            try
            {
                var value = await read(cancellationToken);
                if (done(value))
                {
                    return value;
                }

                last = value?.ToString() ?? "null";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                last = e.GetType().Name + ": " + e.Message;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0.#} s; last seen: {last}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> returns true.</summary>
    public static Task UntilAsync(string what, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken) =>
        UntilAsync(what, timeout, condition, ok => ok, cancellationToken);
}
