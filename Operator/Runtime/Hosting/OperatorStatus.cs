namespace Operator.Runtime.Hosting;

/// <summary>
/// What the lifetime service tells the probes and the process exit code. Invariants: <see cref="Stopping"/> never
/// goes back to false, and the first <see cref="Failure"/> recorded is the one kept.
/// </summary>
public sealed class OperatorStatus
{
    private volatile bool isLeader;
    private volatile bool stopping;
    private string? failure;

    public bool IsLeader => isLeader;

    /// <summary>Shutdown has begun: no new work is taken.</summary>
    public bool Stopping => stopping;

    /// <summary>Why the operator stopped on its own (a module or informer failed, leadership was lost), or null.</summary>
    public string? Failure => Volatile.Read(ref failure);

    internal void SetLeader(bool leading) => isLeader = leading;

    internal void MarkStopping() => stopping = true;

    /// <summary>Records the failure; false when an earlier one was already recorded.</summary>
    internal bool TryFail(string reason) => Interlocked.CompareExchange(ref failure, reason, null) is null;
}
