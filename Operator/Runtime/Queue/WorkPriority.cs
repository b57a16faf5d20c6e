namespace Operator.Runtime.Queue;

/// <summary>
/// How urgently a queued item wants work. A change someone made (a watch event, a retry, a requeue) is
/// <see cref="Normal"/>; work nobody is waiting for (the initial list's adds at start-up, a periodic resync) is
/// <see cref="Low"/>, so that a resync of every resource never delays the reconcile of the one a user just edited.
/// This is controller-runtime's priority queue idea, with the two levels the operator uses.
/// </summary>
public enum WorkPriority
{
    Low = 0,
    Normal = 1,
}
