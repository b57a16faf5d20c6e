namespace Operator.Runtime.Handler;

/// <summary>
/// Receives an informer's changes, in the order the informer applied them to its cache. Handlers run on the
/// informer's watch loop, so they must be quick (enqueue a key, nothing more).
/// </summary>
public interface IResourceEventHandler<in T>
{
    void OnAdd(T obj);

    void OnUpdate(T previous, T current);

    void OnDelete(T obj);
}
