namespace Operator.Runtime.Queue;

/// <summary>
/// Rate limiting of retries: the larger of a per-item exponential backoff and an overall token bucket.
/// Defaults are client-go's controller defaults. Invariants enforced by <see cref="Validate"/>: positive delays
/// with <see cref="BaseDelay"/> no larger than <see cref="MaxDelay"/>, a positive rate and a burst of at least 1.
/// </summary>
public sealed record RateLimiterOptions
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1000);

    public double QueriesPerSecond { get; init; } = 10;

    public int Burst { get; init; } = 100;

    public void Validate()
    {
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), $"Need 0 < BaseDelay <= MaxDelay, got {BaseDelay} and {MaxDelay}.");
        }

        if (!(QueriesPerSecond > 0) || Burst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(QueriesPerSecond), $"Need QueriesPerSecond > 0 and Burst >= 1, got {QueriesPerSecond} and {Burst}.");
        }
    }
}
