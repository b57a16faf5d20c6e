namespace Operator.Runtime.Queue;

/// <summary>
/// An overall token bucket shared by all items: it holds at most <c>burst</c> tokens and refills at
/// <c>tokensPerSecond</c>. Each <see cref="When"/> reserves one token; when none is left the caller is told how
/// long until its reserved token exists (the bucket goes into debt), so reservations are served in call order.
/// Invariant: tokens never exceed burst, and n reservations made at one instant from an empty bucket wait
/// 1/rate, 2/rate, ... n/rate.
/// </summary>
public sealed class TokenBucketRateLimiter<T> : IRateLimiter<T>
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly double tokensPerSecond;
    private readonly double burst;
    private double tokens;
    private long updatedAt;

    public TokenBucketRateLimiter(double tokensPerSecond, int burst, TimeProvider? timeProvider = null)
    {
        if (!(tokensPerSecond > 0) || burst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tokensPerSecond), "Need tokensPerSecond > 0 and burst >= 1.");
        }

        time = timeProvider ?? TimeProvider.System;
        this.tokensPerSecond = tokensPerSecond;
        this.burst = burst;
        tokens = burst;
        updatedAt = time.GetTimestamp();
    }

    public TimeSpan When(T item)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            tokens = Math.Min(burst, tokens + (time.GetElapsedTime(updatedAt, now).TotalSeconds * tokensPerSecond));
            updatedAt = now;
            tokens -= 1;
            return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / tokensPerSecond);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
