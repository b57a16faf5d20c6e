using Operator.Runtime.Events;

namespace Operator.Celery.Reconciliation;

/// <summary>An Event the reconcile records on the resource.</summary>
public sealed record PlannedEvent(EventSeverity Severity, string Reason, string Action, string Message);
