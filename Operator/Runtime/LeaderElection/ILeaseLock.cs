namespace Operator.Runtime.LeaderElection;

/// <summary>
/// Storage of one leader lease with optimistic concurrency: <see cref="UpdateAsync"/> succeeds only if the lease
/// still has the given resourceVersion, and <see cref="CreateAsync"/> only if it does not exist; otherwise they
/// throw <see cref="LeaseConflictException"/>.
/// </summary>
public interface ILeaseLock
{
    /// <summary>The lease, or null when it does not exist.</summary>
    Task<ObservedLease?> GetAsync(CancellationToken cancellationToken);

    Task CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken);

    Task UpdateAsync(LeaderElectionRecord record, string resourceVersion, CancellationToken cancellationToken);
}
