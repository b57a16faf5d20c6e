// Invariants:
// - One writer at a time (writeLock); each committed write gets the next global resourceVersion, produces exactly
//   one event, and publishes a new immutable snapshot. Readers never lock: they read the current snapshot.
// - Subscribers are registered and events are published under the same lock, so a subscription's replay plus its
//   live events never miss or repeat a change.
// - Stored objects are immutable byte arrays; write callbacks get parsed copies.
using System.Text.Json.Nodes;

namespace Operator.Emulator.Storage;

/// <summary>The in-memory object store: the emulator's etcd.</summary>
public sealed class ObjectStore(int historyCapacityPerType)
{
    private readonly Lock writeLock = new();
    private readonly WatchHistory history = new(historyCapacityPerType);
    private volatile StoreSnapshot snapshot = StoreSnapshot.Empty;
    private WatchSubscription[] subscribers = [];

    /// <summary>
    /// The latest published snapshot. Events are delivered to subscriptions a moment before the snapshot that
    /// contains them is published; a subscriber that must see its events reflected uses <see cref="SnapshotIncluding"/>.
    /// </summary>
    public StoreSnapshot Snapshot => snapshot;

    /// <summary>A snapshot that reflects every write up to <paramref name="resourceVersion"/> (and any event already delivered).</summary>
    public StoreSnapshot SnapshotIncluding(long resourceVersion)
    {
        var current = snapshot;
        if (current.ResourceVersion >= resourceVersion)
        {
            return current;
        }

        // The write is being committed: its publisher holds the lock until the snapshot moves on.
        lock (writeLock)
        {
            return snapshot;
        }
    }

    /// <summary>The oldest resourceVersion a watch of <paramref name="type"/> (null: of every type) can still start from.</summary>
    public long OldestWatchableResourceVersion(GroupResource? type)
    {
        lock (writeLock)
        {
            return history.Floor(type);
        }
    }

    /// <summary>
    /// Runs <paramref name="decide"/> on the current object (null when absent) under the writer lock and commits
    /// its decision, unless <paramref name="dryRun"/>. Exceptions from <paramref name="decide"/> abort the write.
    /// </summary>
    public WriteResult Write(GroupResource type, ObjectKey key, Func<StoredObject?, WriteDecision> decide, bool dryRun = false)
    {
        lock (writeLock)
        {
            var current = snapshot.Get(type, key);
            var decision = decide(current);
            switch (decision)
            {
                case WriteDecision.Keep:
                    return new WriteResult(WriteOutcome.Unchanged, current?.ToJsonObject(), current);
                case WriteDecision.Put put when dryRun:
                    // Nothing is stored, so an existing object keeps its resourceVersion (as kube-apiserver answers a
                    // dry-run update); a dry-run create has none.
                    if (current is not null && put.Object["metadata"] is JsonObject dryRunMetadata)
                    {
                        dryRunMetadata["resourceVersion"] = current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }

                    return new WriteResult(current is null ? WriteOutcome.Created : WriteOutcome.Updated, put.Object, null);
                case WriteDecision.Remove remove when dryRun:
                    return new WriteResult(WriteOutcome.Deleted, remove.FinalState, null);
                case WriteDecision.Put put:
                    {
                        var stored = Commit(type, key, put.Object, current is null ? WatchEventType.Added : WatchEventType.Modified, current);
                        return new WriteResult(current is null ? WriteOutcome.Created : WriteOutcome.Updated, put.Object, stored);
                    }

                case WriteDecision.Remove remove:
                    {
                        if (current is null)
                        {
                            throw new InvalidOperationException($"Cannot remove {type} {key}: it does not exist.");
                        }

                        var stored = Commit(type, key, remove.FinalState, WatchEventType.Deleted, current);
                        return new WriteResult(WriteOutcome.Deleted, remove.FinalState, stored);
                    }

                default:
                    throw new InvalidOperationException($"Unknown write decision {decision.GetType().Name}.");
            }
        }
    }

    /// <summary>
    /// Registers a watcher of <paramref name="type"/> (null: every collection) in <paramref name="inNamespace"/> (null: all).
    /// With <paramref name="fromResourceVersion"/> the replay is every retained event of the type after it (410 when
    /// older than that type's window, which writes to other types never shorten);
    /// without, the replay is a synthetic ADDED event per existing object.
    /// </summary>
    public WatchSubscription Subscribe(GroupResource? type, string? inNamespace, long? fromResourceVersion)
    {
        lock (writeLock)
        {
            var current = snapshot;
            List<WatchEvent> replay;
            if (fromResourceVersion is { } from)
            {
                replay = history.After(type, from) ?? throw new ResourceVersionTooOldException(from, history.Floor(type));
                replay.RemoveAll(change => !Matches(type, inNamespace, change));
            }
            else
            {
                var existing = type is null ? current.AllItems() : (IEnumerable<StoredObject>)current.Items(type, inNamespace);
                replay = [.. existing.Where(item => inNamespace is null || item.Key.Namespace == inNamespace)
                    .Select(item => new WatchEvent(WatchEventType.Added, item))];
            }

            var subscription = new WatchSubscription(type, inNamespace, replay, current.ResourceVersion, Unsubscribe);
            subscribers = [.. subscribers, subscription];
            return subscription;
        }
    }

    /// <summary>Drops all history up to now: every watch from an earlier resourceVersion gets 410 Gone.</summary>
    public void Compact()
    {
        lock (writeLock)
        {
            history.CompactThrough(snapshot.ResourceVersion);
        }
    }

    private static bool Matches(GroupResource? type, string? inNamespace, WatchEvent change) =>
        (type is null || type == change.Object.Type) && (inNamespace is null || inNamespace == change.Object.Key.Namespace);

    private StoredObject Commit(GroupResource type, ObjectKey key, JsonObject obj, WatchEventType eventType, StoredObject? previous)
    {
        var resourceVersion = snapshot.ResourceVersion + 1;
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        metadata["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = StoredObject.From(type, key, resourceVersion, obj);
        var change = new WatchEvent(eventType, stored, previous);
        history.Append(change);
        foreach (var subscriber in subscribers)
        {
            if (subscriber.Accepts(change))
            {
                subscriber.Publish(change);
            }
        }

        // Published before the snapshot moves on: whoever sees resourceVersion N in a snapshot can rely on every
        // event up to N already being in its subscription (watch bookmarks depend on this).
        snapshot = snapshot.With(resourceVersion, type, key, previous, eventType == WatchEventType.Deleted ? null : stored);
        return stored;
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (writeLock)
        {
            subscribers = [.. subscribers.Where(existing => !ReferenceEquals(existing, subscription))];
        }
    }
}
