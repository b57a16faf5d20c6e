namespace Operator.Runtime.Handler;

/// <summary>
/// Receives an informer's changes, in the order the informer applied them to its cache. Handlers run on the
/// informer's watch loop, so they must be quick (enqueue a key, nothing more).
/// </summary>
public interface IResourceEventHandler<in T>
{
    /// <param name="isInInitialList">True when the add comes from the informer's first list (or the replay of its cache
    /// to a handler added late) rather than from a watch event: start-up work nobody is waiting for, which handlers
    /// enqueue at <see cref="Queue.WorkPriority.Low"/>.</param>
    void OnAdd(T obj, bool isInInitialList);

    void OnUpdate(T previous, T current);

    void OnDelete(T obj);
}
