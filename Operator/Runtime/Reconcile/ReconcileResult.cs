namespace Operator.Runtime.Reconcile;

/// <summary>
/// How a reconcile ended, and so what happens to its key:
/// success forgets the key's backoff; <see cref="Requeue"/> retries it rate-limited; <see cref="RequeueAfter"/>
/// forgets the backoff and adds it again after the delay; <see cref="TerminalError"/> (e.g. an invalid spec, already
/// reported on the object's status) is counted as an error and not retried until the object changes.
/// Invariant: at most one of the three is set.
/// </summary>
public sealed record ReconcileResult
{
    private ReconcileResult(bool requeue, TimeSpan? requeueAfter, string? terminalError)
    {
        Requeue = requeue;
        RequeueAfter = requeueAfter;
        TerminalError = terminalError;
    }

    public bool Requeue { get; }

    public TimeSpan? RequeueAfter { get; }

    public string? TerminalError { get; }

    public static ReconcileResult Success() => new(false, null, null);

    public static ReconcileResult RequeueNow() => new(true, null, null);

    public static ReconcileResult After(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        return new(false, delay, null);
    }

    public static ReconcileResult Terminal(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new(false, null, error);
    }
}
