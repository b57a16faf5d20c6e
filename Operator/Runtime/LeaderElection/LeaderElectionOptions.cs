namespace Operator.Runtime.LeaderElection;

/// <summary>
/// Lease-based leader election settings (client-go's defaults). Invariants enforced by <see cref="Validate"/>:
/// LeaseDuration &gt; RenewDeadline &gt; RetryPeriod &gt; 0, whole-second lease duration, and a lease name,
/// namespace and identity.
/// </summary>
public sealed record LeaderElectionOptions
{
    public bool Enabled { get; init; } = true;

    public string LeaseName { get; init; } = "celery-operator";

    public string LeaseNamespace { get; init; } = "default";

    /// <summary>Who this instance is in the lease; unique per process.</summary>
    public string Identity { get; init; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How long a non-leader waits after the last observed change before taking the lease over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failing renewal before it gives leadership up.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Clears the lease on graceful shutdown so a standby takes over without waiting it out.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LeaseName, nameof(LeaseName));
        ArgumentException.ThrowIfNullOrWhiteSpace(LeaseNamespace, nameof(LeaseNamespace));
        ArgumentException.ThrowIfNullOrWhiteSpace(Identity, nameof(Identity));
        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod || LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), $"Need LeaseDuration > RenewDeadline > RetryPeriod > 0, got {LeaseDuration}, {RenewDeadline}, {RetryPeriod}.");
        }

        if (LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), "LeaseDuration must be whole seconds (the Lease stores seconds).");
        }
    }
}
