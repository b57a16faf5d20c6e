using k8s;
using k8s.Models;
using Operator.Runtime.Queue;

namespace Operator.Runtime.Handler;

/// <summary>
/// Enqueues the key of the changed object's controller owner when that owner is of the given kind and API group
/// (the version is ignored, as owners survive API version changes). Owners are namespaced like their children.
/// On an update both the old and the new owner are enqueued, so an owner that lost a child hears of it.
/// </summary>
public sealed class EnqueueForControllerOwner<T> : IResourceEventHandler<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly IWorkQueue<ObjectKey> queue;
    private readonly string ownerKind;
    private readonly string ownerGroup;

    public EnqueueForControllerOwner(IWorkQueue<ObjectKey> queue, string ownerKind, string ownerApiVersion)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentException.ThrowIfNullOrEmpty(ownerKind);
        ArgumentException.ThrowIfNullOrEmpty(ownerApiVersion);
        this.queue = queue;
        this.ownerKind = ownerKind;
        ownerGroup = GroupOf(ownerApiVersion);
    }

    public void OnAdd(T obj, bool isInInitialList) => Enqueue(obj, EnqueuePriority.ForAdd(isInInitialList));

    public void OnUpdate(T previous, T current)
    {
        var before = OwnerKey(previous);
        var after = OwnerKey(current);
        if (before is not null && before != after)
        {
            queue.Add(before);
        }

        if (after is not null)
        {
            queue.Add(after);
        }
    }

    public void OnDelete(T obj) => Enqueue(obj, WorkPriority.Normal);

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }

    private void Enqueue(T obj, WorkPriority priority)
    {
        if (OwnerKey(obj) is { } key)
        {
            queue.Add(key, priority);
        }
    }

    private ObjectKey? OwnerKey(T obj)
    {
        var owner = obj.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null || owner.Kind != ownerKind || GroupOf(owner.ApiVersion ?? string.Empty) != ownerGroup || string.IsNullOrEmpty(owner.Name))
        {
            return null;
        }

        return new ObjectKey(obj.Metadata!.NamespaceProperty, owner.Name);
    }
}
