using System.Collections.Concurrent;
using k8s.Models;
using Operator.Runtime.Handler;

namespace Operator.Tests.Runtime;

/// <summary>
/// Records every event as "add ns/name@rv", "update ns/name@rv" or "delete ns/name", and the keys of the adds the
/// informer marked as its initial list's.
/// </summary>
internal sealed class RecordingHandler : IResourceEventHandler<V1ConfigMap>
{
    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentQueue<string> InitialListAdds { get; } = new();

    public void OnAdd(V1ConfigMap obj, bool isInInitialList)
    {
        if (isInInitialList)
        {
            InitialListAdds.Enqueue(Key(obj));
        }

        Events.Enqueue($"add {Key(obj)}@{obj.Metadata.ResourceVersion}");
    }

    public void OnUpdate(V1ConfigMap previous, V1ConfigMap current) => Events.Enqueue($"update {Key(current)}@{current.Metadata.ResourceVersion}");

    public void OnDelete(V1ConfigMap obj) => Events.Enqueue($"delete {Key(obj)}");

    private static string Key(V1ConfigMap obj) => $"{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}";
}
