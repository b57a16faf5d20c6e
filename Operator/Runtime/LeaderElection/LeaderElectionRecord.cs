namespace Operator.Runtime.LeaderElection;

/// <summary>What a lease says about its holder. An empty <see cref="HolderIdentity"/> means the lease is free.</summary>
public sealed record LeaderElectionRecord(
    string HolderIdentity,
    int LeaseDurationSeconds,
    DateTimeOffset AcquireTime,
    DateTimeOffset RenewTime,
    int LeaseTransitions);
