namespace Operator.Runtime.LeaderElection;

/// <summary>A lease as read, with the resourceVersion that an update must match.</summary>
public sealed record ObservedLease(LeaderElectionRecord Record, string ResourceVersion);
