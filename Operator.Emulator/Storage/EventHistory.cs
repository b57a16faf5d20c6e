// Invariants: events are appended in resourceVersion order and every write of the type adds exactly one event, so
// the retained events cover the contiguous range (Floor, newest]. A watch may start at any resourceVersion >= Floor;
// older ones were evicted (window full) or compacted and must be answered with 410 Gone.
// One per resource type (see WatchHistory). Not thread-safe on its own: ObjectStore calls it under its writer lock.
namespace Operator.Emulator.Storage;

/// <summary>A bounded window of one resource type's recent events for watch replay.</summary>
internal sealed class EventHistory(int capacity)
{
    private readonly WatchEvent[] ring = new WatchEvent[Math.Max(1, capacity)];
    private int start;
    private int count;

    /// <summary>The oldest resourceVersion a watch may start from.</summary>
    public long Floor { get; private set; }

    public void Append(WatchEvent change)
    {
        if (count == ring.Length)
        {
            Floor = ring[start].ResourceVersion;
            ring[start] = change;
            start = (start + 1) % ring.Length;
            return;
        }

        ring[(start + count) % ring.Length] = change;
        count++;
    }

    /// <summary>Forgets every event up to <paramref name="resourceVersion"/>, as an etcd compaction would.</summary>
    public void CompactThrough(long resourceVersion)
    {
        while (count > 0 && ring[start].ResourceVersion <= resourceVersion)
        {
            ring[start] = null!;
            start = (start + 1) % ring.Length;
            count--;
        }

        Floor = Math.Max(Floor, resourceVersion);
    }

    /// <summary>Events newer than <paramref name="resourceVersion"/>, oldest first; null when that version is too old.</summary>
    public List<WatchEvent>? After(long resourceVersion)
    {
        if (resourceVersion < Floor)
        {
            return null;
        }

        var events = new List<WatchEvent>();
        for (var i = 0; i < count; i++)
        {
            var change = ring[(start + i) % ring.Length];
            if (change.ResourceVersion > resourceVersion)
            {
                events.Add(change);
            }
        }

        return events;
    }
}
