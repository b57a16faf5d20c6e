using Operator.Runtime.Queue;

namespace Operator.Runtime.Handler;

/// <summary>The one rule every enqueueing handler follows: adds from the informer's first list are low priority, every watched change normal.</summary>
internal static class EnqueuePriority
{
    public static WorkPriority ForAdd(bool isInInitialList) => isInInitialList ? WorkPriority.Low : WorkPriority.Normal;
}
