// The builtin scaler's state of every resource it scales, by resource and group: written by the scaler's loop, read
// by the reconciler (status) and the metrics (scrapes). Thread-safe; each resource's entry is replaced whole.
using System.Collections.Concurrent;
using Operator.Runtime;

namespace Operator.Celery.Scaling;

/// <summary>Builtin scaler state by resource, then by group name.</summary>
public sealed class BuiltinScalerStore
{
    private readonly ConcurrentDictionary<ObjectKey, IReadOnlyDictionary<string, GroupScaling>> resources = new();

    public IReadOnlyDictionary<string, GroupScaling>? Get(ObjectKey key) => resources.GetValueOrDefault(key);

    public void Set(ObjectKey key, IReadOnlyDictionary<string, GroupScaling> groups) => resources[key] = groups;

    /// <summary>Drops every resource not in <paramref name="keep"/>.</summary>
    public void Retain(IReadOnlySet<ObjectKey> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        foreach (var key in resources.Keys.Where(k => !keep.Contains(k)))
        {
            resources.TryRemove(key, out _);
        }
    }

    public IReadOnlyList<KeyValuePair<ObjectKey, IReadOnlyDictionary<string, GroupScaling>>> Snapshot() => [.. resources];
}
