using Operator.Runtime.Resilience;

namespace Operator.Celery.Backlog;

/// <summary>
/// The backlog reader's settings (configuration section <c>Operator:Backlog</c>). Invariants checked by
/// <see cref="Validate"/>: a positive interval and call timeout, a timeout shorter than the interval, at least one
/// concurrent read.
/// </summary>
public sealed record BacklogOptions
{
    public const string SectionName = "Operator:Backlog";

    /// <summary>False: the operator never connects to a broker; no status.queues, no queue metrics.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How often every broker endpoint is read (once per endpoint and database, for all resources on it).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest a read of one endpoint may take, connecting included.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long reads of an endpoint pause after repeated failures (the circuit breaker's break).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Endpoints read at the same time.</summary>
    public int MaxConcurrentReads { get; init; } = 8;

    /// <summary>The guard every endpoint's reads run under.</summary>
    public CircuitGuardOptions Guard => new()
    {
        CallTimeout = CallTimeout,
        BreakDuration = BreakDuration,
        SamplingDuration = Interval * 4,
        MinimumFailures = 2,
    };

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero, nameof(Interval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero, nameof(CallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(BreakDuration, TimeSpan.FromSeconds(1), nameof(BreakDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentReads, 1, nameof(MaxConcurrentReads));
        if (CallTimeout >= Interval)
        {
            throw new ArgumentException($"CallTimeout ({CallTimeout}) must be shorter than Interval ({Interval}).", nameof(CallTimeout));
        }
    }
}
