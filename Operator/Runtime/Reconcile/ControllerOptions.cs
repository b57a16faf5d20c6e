using Operator.Runtime.Queue;

namespace Operator.Runtime.Reconcile;

/// <summary>
/// How a controller runs its workers. Invariants enforced by <see cref="Validate"/>: at least one worker, a
/// non-negative resync period (zero turns resync off) and a positive shutdown timeout. Its initial values are the
/// operator's defaults, stated here once (<see cref="Operator.Runtime.Hosting.OperatorOptions"/> reads them from
/// <see cref="Default"/>).
/// </summary>
public sealed record ControllerOptions
{
    /// <summary>The defaults.</summary>
    public static ControllerOptions Default { get; } = new();

    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>Re-enqueues every cached key this often, without an API call; zero disables it.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromHours(10);

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
