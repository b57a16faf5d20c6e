namespace Operator.Runtime.Metrics;

/// <summary>Why an informer listed everything, as the <c>reason</c> label of <c>celery_operator_relists_total</c>.</summary>
public enum RelistReason
{
    /// <summary>The first list at start-up.</summary>
    Initial,

    /// <summary>The watch position expired (410 Gone).</summary>
    Expired,
}
