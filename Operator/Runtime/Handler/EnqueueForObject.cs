using k8s;
using k8s.Models;
using Operator.Runtime.Queue;

namespace Operator.Runtime.Handler;

/// <summary>Enqueues the key of the object that changed: for the controller's own resource type.</summary>
public sealed class EnqueueForObject<T>(IWorkQueue<ObjectKey> queue) : IResourceEventHandler<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public void OnAdd(T obj, bool isInInitialList) => queue.Add(ObjectKeys.Of(obj), EnqueuePriority.ForAdd(isInInitialList));

    public void OnUpdate(T previous, T current) => queue.Add(ObjectKeys.Of(current));

    public void OnDelete(T obj) => queue.Add(ObjectKeys.Of(obj));
}
