namespace Operator.Runtime.Queue;

/// <summary>
/// Combines limiters: the delay is the largest of theirs, and every limiter sees every call, so each keeps its
/// own accounting (a token is reserved even when the per-item backoff is the larger delay).
/// </summary>
public sealed class MaxOfRateLimiter<T> : IRateLimiter<T>
{
    private readonly IReadOnlyList<IRateLimiter<T>> limiters;

    public MaxOfRateLimiter(params IRateLimiter<T>[] limiters)
    {
        ArgumentNullException.ThrowIfNull(limiters);
        if (limiters.Length == 0)
        {
            throw new ArgumentException("At least one limiter is needed.", nameof(limiters));
        }

        this.limiters = [.. limiters];
    }

    public TimeSpan When(T item)
    {
        var longest = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(item);
            if (delay > longest)
            {
                longest = delay;
            }
        }

        return longest;
    }

    public void Forget(T item)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(T item) => limiters.Max(l => l.NumRequeues(item));
}
