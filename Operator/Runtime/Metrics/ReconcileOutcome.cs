namespace Operator.Runtime.Metrics;

/// <summary>How one reconcile ended, as the <c>result</c> label of <c>controller_runtime_reconcile_total</c>.</summary>
public enum ReconcileOutcome
{
    Success,
    Error,
    Requeue,
    RequeueAfter,
}
