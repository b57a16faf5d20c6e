namespace Operator.Runtime.Queue;

/// <summary>Builds the controller's default limiter: max of per-item exponential backoff and a token bucket.</summary>
public static class ControllerRateLimiter
{
    public static IRateLimiter<T> Create<T>(RateLimiterOptions options, TimeProvider? timeProvider = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new MaxOfRateLimiter<T>(
            new ItemExponentialRateLimiter<T>(options.BaseDelay, options.MaxDelay),
            new TokenBucketRateLimiter<T>(options.QueriesPerSecond, options.Burst, timeProvider));
    }
}
