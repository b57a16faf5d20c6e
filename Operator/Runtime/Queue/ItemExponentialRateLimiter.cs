namespace Operator.Runtime.Queue;

/// <summary>
/// Per-item exponential backoff: the n-th retry (from 0) of an item waits baseDelay * 2^n, capped at maxDelay.
/// Invariants: the delay never decreases between two calls for the same item until <see cref="Forget"/>, never
/// exceeds maxDelay (no overflow however many failures), and items of different identity never share a count.
/// </summary>
public sealed class ItemExponentialRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<T, int> failures = [];
    private readonly TimeSpan baseDelay;
    private readonly TimeSpan maxDelay;

    public ItemExponentialRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (baseDelay <= TimeSpan.Zero || maxDelay < baseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(baseDelay), "Need 0 < baseDelay <= maxDelay.");
        }

        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    public TimeSpan When(T item)
    {
        int exponent;
        lock (gate)
        {
            failures.TryGetValue(item, out exponent);
            failures[item] = exponent == int.MaxValue ? exponent : exponent + 1;
        }

        // Doubles are exact for powers of two; anything past maxDelay (including infinity) is capped.
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (gate)
        {
            failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(item);
        }
    }
}
