namespace Operator.Runtime.Reconcile;

/// <summary>
/// Drives the object named by a key towards its desired state. It is called with one key at a time per key
/// (never twice concurrently for the same key), reads state from caches and must be idempotent. A thrown
/// exception counts as an error and the key is retried with backoff.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
