// Remembers, per resource, the inputs of its last clean reconcile: one that wrote nothing (every child unchanged, no
// status write, no Event) and ended in success. A later reconcile that finds the same inputs (ReconcileInputs.Matches)
// would plan the same children, find them unchanged and conclude the same status, so it ends at once. That is every
// periodic resync of a steady resource: at 10,000 resources the resync pass rebuilt and fingerprinted every desired
// child for nothing, and the update a user was waiting for shared the cores with it.
// Invariants: only a clean reconcile is remembered (a requeue, a retry after a delay such as the KEDA recheck, a
// terminal error, or any write leaves nothing, so time-based rechecks and retries always run in full); any other
// outcome, and the resource's deletion, forgets the key; what is kept are resourceVersions, a hash and references to
// observations the stores already hold, never a Secret's data.
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Operator.Runtime;
using Operator.Runtime.Metrics;

namespace Operator.Celery.Reconciliation;

/// <summary>The inputs of each resource's last clean reconcile, and the count of reconciles they spared.</summary>
public sealed class CleanReconcileMemo : IDisposable
{
    /// <summary>The counter of reconciles that ended at once because their inputs matched the last clean one's.</summary>
    public const string UnchangedMetricName = "celery_operator_reconcile_unchanged_total";

    private readonly ConcurrentDictionary<ObjectKey, ReconcileInputs> clean = new();
    private readonly Meter meter;
    private readonly Counter<long> unchanged;
    private readonly KeyValuePair<string, object?> controllerTag;

    public CleanReconcileMemo(string controller, IMeterFactory? meterFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(controller);
        meter = meterFactory?.Create(new MeterOptions(RuntimeMetrics.MeterName)) ?? new Meter(RuntimeMetrics.MeterName);
        unchanged = meter.CreateCounter<long>(UnchangedMetricName, description: "Reconciles that ended at once because the resource, its children, its Secrets, the optional APIs and its backlog were as at its last reconcile that changed nothing.");
        controllerTag = new("controller", controller);

        // Pre-set, so increase() sees the first one.
        unchanged.Add(0, controllerTag);
    }

    /// <summary>True (and counted) when <paramref name="inputs"/> match those of the resource's last clean reconcile; otherwise that reconcile is forgotten.</summary>
    public bool IsUnchanged(ObjectKey key, ReconcileInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!clean.TryGetValue(key, out var last))
        {
            return false;
        }

        if (!inputs.Matches(last))
        {
            // The full reconcile that follows records how it ended; if it throws instead, nothing stale is left.
            clean.TryRemove(key, out _);
            return false;
        }

        unchanged.Add(1, controllerTag);
        return true;
    }

    /// <summary>Records how a full reconcile with <paramref name="inputs"/> ended: remembered when it was clean, forgotten otherwise.</summary>
    public void Record(ObjectKey key, ReconcileInputs inputs, bool wasClean)
    {
        if (wasClean)
        {
            clean[key] = inputs;
        }
        else
        {
            clean.TryRemove(key, out _);
        }
    }

    /// <summary>Drops what is kept of a resource that is gone or being deleted.</summary>
    public void Forget(ObjectKey key) => clean.TryRemove(key, out _);

    public void Dispose() => meter.Dispose();
}
