using Operator.Runtime.Queue;

namespace Operator.Runtime.Reconcile;

/// <summary>
/// How a controller runs its workers. Invariants enforced by <see cref="Validate"/>: at least one worker, a
/// non-negative resync period (zero turns resync off) and a positive shutdown timeout.
/// </summary>
public sealed record ControllerOptions
{
    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>Re-enqueues every cached key this often, without an API call; zero disables it.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>How long in-flight reconciles may run after shutdown starts before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public RateLimiterOptions RateLimiter { get; init; } = new();

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentReconciles, 1, nameof(MaxConcurrentReconciles));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResyncPeriod, TimeSpan.Zero, nameof(ResyncPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ShutdownTimeout, TimeSpan.Zero, nameof(ShutdownTimeout));
        RateLimiter.Validate();
    }
}
