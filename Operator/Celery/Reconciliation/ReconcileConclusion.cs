using Operator.Celery.Model;
using Operator.Runtime.Reconcile;

namespace Operator.Celery.Reconciliation;

/// <summary>How a reconcile ends: the status to write (when it changed), the events to record first, and what happens to the key.</summary>
public sealed record ReconcileConclusion(CeleryStatus Status, IReadOnlyList<PlannedEvent> Events, ReconcileResult Result);
