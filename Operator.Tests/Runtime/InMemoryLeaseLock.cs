using System.Globalization;
using Operator.Runtime.LeaderElection;

namespace Operator.Tests.Runtime;

/// <summary>A lease store with the API server's optimistic concurrency, and a switch to make it unreachable.</summary>
internal sealed class InMemoryLeaseLock : ILeaseLock
{
    private readonly Lock gate = new();
    private LeaderElectionRecord? record;
    private long version;

    public bool Unreachable { get; set; }

    public LeaderElectionRecord? Record
    {
        get
        {
            lock (gate)
            {
                return record;
            }
        }
    }

    public void Set(LeaderElectionRecord value)
    {
        lock (gate)
        {
            record = value;
            version++;
        }
    }

    public Task<ObservedLease?> GetAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            ThrowIfUnreachable();
            return Task.FromResult(record is null ? null : new ObservedLease(record, version.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public Task CreateAsync(LeaderElectionRecord value, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            ThrowIfUnreachable();
            if (record is not null)
            {
                throw new LeaseConflictException("exists");
            }

            record = value;
            version++;
            return Task.CompletedTask;
        }
    }

    public Task UpdateAsync(LeaderElectionRecord value, string resourceVersion, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            ThrowIfUnreachable();
            if (resourceVersion != version.ToString(CultureInfo.InvariantCulture))
            {
                throw new LeaseConflictException("changed");
            }

            record = value;
            version++;
            return Task.CompletedTask;
        }
    }

    private void ThrowIfUnreachable()
    {
        if (Unreachable)
        {
            throw new HttpRequestException("connection refused");
        }
    }
}
