using Operator.Runtime.Queue;

namespace Operator.Runtime.Handler;

/// <summary>
/// Enqueues whatever keys a map function returns for the changed object, e.g. every resource that references
/// a changed Secret (looked up through a cache index). On an update the keys of both states are enqueued, so a
/// resource that stopped referencing the object is reconciled too.
/// </summary>
public sealed class EnqueueMapped<T>(IWorkQueue<ObjectKey> queue, Func<T, IEnumerable<ObjectKey>> map) : IResourceEventHandler<T>
{
    public void OnAdd(T obj, bool isInInitialList) => Enqueue(map(obj), EnqueuePriority.ForAdd(isInInitialList));

    public void OnUpdate(T previous, T current) => Enqueue(map(previous).Concat(map(current)).Distinct(), WorkPriority.Normal);

    public void OnDelete(T obj) => Enqueue(map(obj), WorkPriority.Normal);

    private void Enqueue(IEnumerable<ObjectKey> keys, WorkPriority priority)
    {
        foreach (var key in keys)
        {
            queue.Add(key, priority);
        }
    }
}
