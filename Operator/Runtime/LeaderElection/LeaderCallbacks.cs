namespace Operator.Runtime.LeaderElection;

/// <summary>
/// What to run on leadership changes. <see cref="OnStartedLeading"/> runs while this instance leads; its token
/// is cancelled when leadership ends, and the lease is released only after the returned task completes.
/// </summary>
public sealed record LeaderCallbacks(
    Func<CancellationToken, Task> OnStartedLeading,
    Action OnStoppedLeading,
    Action<string>? OnNewLeader = null);
