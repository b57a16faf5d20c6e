// Invariants: every write adds exactly one event, to the history of its own resource type, so a burst of writes to
// one type never evicts another type's events (kube-apiserver keeps a watch cache per resource the same way). Each
// type's retained events cover the contiguous range (Floor(type), newest] of that type's events; a compaction moves
// every floor, including the floor of types that have no events yet. Memory is bounded: at most the capacity per
// type, for the types the store has seen.
// Not thread-safe on its own: ObjectStore calls it under its writer lock.
namespace Operator.Emulator.Storage;

/// <summary>Recent events for watch replay, one bounded window per resource type.</summary>
internal sealed class WatchHistory(int capacityPerType)
{
    private readonly Dictionary<GroupResource, EventHistory> byType = [];
    private long compactedThrough;

    public void Append(WatchEvent change)
    {
        var type = change.Object.Type;
        if (!byType.TryGetValue(type, out var history))
        {
            history = new EventHistory(capacityPerType);
            history.CompactThrough(compactedThrough);
            byType[type] = history;
        }

        history.Append(change);
    }

    /// <summary>Forgets every event up to <paramref name="resourceVersion"/> in every type, as an etcd compaction would.</summary>
    public void CompactThrough(long resourceVersion)
    {
        compactedThrough = Math.Max(compactedThrough, resourceVersion);
        foreach (var history in byType.Values)
        {
            history.CompactThrough(resourceVersion);
        }
    }

    /// <summary>The oldest resourceVersion a watch of <paramref name="type"/> (null: of every type) may start from.</summary>
    public long Floor(GroupResource? type) =>
        type is { } one
            ? byType.TryGetValue(one, out var history) ? history.Floor : compactedThrough
            : byType.Values.Select(history => history.Floor).Append(compactedThrough).Max();

    /// <summary>Events of <paramref name="type"/> (null: every type) newer than <paramref name="resourceVersion"/>, oldest first; null when too old.</summary>
    public List<WatchEvent>? After(GroupResource? type, long resourceVersion)
    {
        if (resourceVersion < Floor(type))
        {
            return null;
        }

        if (type is { } one)
        {
            return byType.TryGetValue(one, out var history) ? history.After(resourceVersion) : [];
        }

        var merged = byType.Values.SelectMany(history => history.After(resourceVersion) ?? []).ToList();
        merged.Sort((left, right) => left.ResourceVersion.CompareTo(right.ResourceVersion));
        return merged;
    }
}
