using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace Operator.Runtime.Cache;

/// <summary>
/// The objects of one resource type keyed by namespace/name, with indexes.
/// Invariants:
/// <list type="number">
/// <item>Writers are serialized by <c>gate</c> and publish a new immutable <see cref="CacheSnapshot{T}"/>;
/// readers never lock and always see objects and indexes from the same write.</item>
/// <item>Every index entry names a cached object, and every cached object is under exactly the values its index
/// functions return for it.</item>
/// <item>Every object passes through the transform before it is stored or returned in a change.</item>
/// <item>A stored object is shared by every reader and never modified afterwards; readers treat it as read-only,
/// as client-go's listers require (informers share strings and small maps between cached objects).</item>
/// </list>
/// </summary>
public sealed class ObjectCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock gate = new();
    private readonly IReadOnlyDictionary<string, IndexFunc<T>> indexers;
    private readonly Func<T, T> transform;
    private CacheSnapshot<T> current;

    /// <param name="indexers">
    /// Extra indexes by name, besides <see cref="CacheIndexes.ControllerOwnerUid"/> (which maps children to their
    /// owner and is always kept). Add <see cref="CacheIndexes.Namespace"/> only where something reads by namespace:
    /// every index costs memory and work on each change, and a namespace index over 100,000 objects is large.
    /// </param>
    /// <param name="transform">Applied on insert; defaults to <see cref="ObjectTransforms.DropUnreadMetadata{T}"/>.</param>
    public ObjectCache(IReadOnlyDictionary<string, IndexFunc<T>>? indexers = null, Func<T, T>? transform = null)
    {
        var all = new Dictionary<string, IndexFunc<T>>(StringComparer.Ordinal)
        {
            [CacheIndexes.ControllerOwnerUid] = CacheIndexes.ByControllerOwnerUid,
        };
        foreach (var (name, index) in indexers ?? new Dictionary<string, IndexFunc<T>>())
        {
            if (!all.TryAdd(name, index))
            {
                throw new ArgumentException($"Index '{name}' is defined twice.", nameof(indexers));
            }
        }

        this.indexers = all;
        this.transform = transform ?? ObjectTransforms.DropUnreadMetadata;
        current = new CacheSnapshot<T>(
            ImmutableDictionary<ObjectKey, T>.Empty,
            all.Keys.ToImmutableDictionary(k => k, _ => ImmutableDictionary<string, IndexBucket>.Empty, StringComparer.Ordinal));
    }

    /// <summary>The latest consistent view; hold on to it to read several things from one moment.</summary>
    public CacheSnapshot<T> Snapshot => Volatile.Read(ref current);

    public int Count => Snapshot.Count;

    /// <summary>Whether the cache keeps the index named <paramref name="indexName"/>.</summary>
    public bool HasIndex(string indexName) => indexers.ContainsKey(indexName);

    public T? Get(ObjectKey key) => Snapshot.Get(key);

    public IReadOnlyList<T> List() => Snapshot.List();

    public IReadOnlyList<T> ByIndex(string indexName, string value) => Snapshot.ByIndex(indexName, value);

    /// <summary>Inserts or replaces the object; null when an identical resourceVersion was already cached.</summary>
    public CacheChange<T>? Upsert(T obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        lock (gate)
        {
            var builder = new SnapshotBuilder(this, current);
            var change = builder.Put(transform(obj));
            Publish(builder);
            return change;
        }
    }

    /// <summary>Removes the object; null when it was not cached.</summary>
    public CacheChange<T>? Delete(T obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        lock (gate)
        {
            var builder = new SnapshotBuilder(this, current);
            var change = builder.Remove(ObjectKeys.Of(obj), transform(obj));
            Publish(builder);
            return change;
        }
    }

    /// <summary>
    /// Makes the cache's contents within <paramref name="namespaceScope"/> (all namespaces when null) exactly
    /// <paramref name="objects"/>, returning the difference: additions, modifications (resourceVersion changed)
    /// and deletions of objects that are no longer listed. Objects outside the scope are untouched.
    /// </summary>
    public IReadOnlyList<CacheChange<T>> Replace(IEnumerable<T> objects, string? namespaceScope)
    {
        ArgumentNullException.ThrowIfNull(objects);
        lock (gate)
        {
            var builder = new SnapshotBuilder(this, current);
            var changes = new List<CacheChange<T>>();
            var listed = new HashSet<ObjectKey>();
            foreach (var obj in objects)
            {
                var stored = transform(obj);
                listed.Add(ObjectKeys.Of(stored));
                if (builder.Put(stored) is { } change)
                {
                    changes.Add(change);
                }
            }

            var vanished = current.Objects.Keys
                .Where(k => (namespaceScope is null || k.Namespace == namespaceScope) && !listed.Contains(k))
                .ToList();
            foreach (var key in vanished)
            {
                changes.Add(builder.Remove(key, current.Objects[key])!);
            }

            Publish(builder);
            return changes;
        }
    }

    private void Publish(SnapshotBuilder builder) => Volatile.Write(ref current, builder.Build());

    private static bool SameVersion(T a, T b) =>
        !string.IsNullOrEmpty(a.Metadata?.ResourceVersion) && a.Metadata.ResourceVersion == b.Metadata?.ResourceVersion;

    /// <summary>Accumulates one write's changes to objects and indexes so they are published together.</summary>
    private sealed class SnapshotBuilder(ObjectCache<T> cache, CacheSnapshot<T> start)
    {
        private readonly ImmutableDictionary<ObjectKey, T>.Builder objects = start.Objects.ToBuilder();
        private readonly Dictionary<string, ImmutableDictionary<string, IndexBucket>.Builder> indexes =
            start.Indexes.ToDictionary(i => i.Key, i => i.Value.ToBuilder(), StringComparer.Ordinal);

        public CacheChange<T>? Put(T obj)
        {
            var key = ObjectKeys.Of(obj);
            if (objects.TryGetValue(key, out var previous))
            {
                if (SameVersion(previous, obj))
                {
                    return null;
                }

                Unindex(key, previous);
            }

            objects[key] = obj;
            Index(key, obj);
            return previous is null
                ? new CacheChange<T>(CacheChangeType.Added, obj)
                : new CacheChange<T>(CacheChangeType.Modified, obj, previous);
        }

        public CacheChange<T>? Remove(ObjectKey key, T lastKnown)
        {
            if (!objects.Remove(key, out var previous))
            {
                return null;
            }

            Unindex(key, previous);
            return new CacheChange<T>(CacheChangeType.Deleted, lastKnown);
        }

        public CacheSnapshot<T> Build() => new(
            objects.ToImmutable(),
            indexes.ToImmutableDictionary(i => i.Key, i => i.Value.ToImmutable(), StringComparer.Ordinal));

        private void Index(ObjectKey key, T obj)
        {
            foreach (var (name, indexer) in cache.indexers)
            {
                var index = indexes[name];
                foreach (var value in indexer(obj).Distinct(StringComparer.Ordinal))
                {
                    index[value] = index.GetValueOrDefault(value).Add(key);
                }
            }
        }

        private void Unindex(ObjectKey key, T obj)
        {
            foreach (var (name, indexer) in cache.indexers)
            {
                var index = indexes[name];
                foreach (var value in indexer(obj).Distinct(StringComparer.Ordinal))
                {
                    if (index.TryGetValue(value, out var keys))
                    {
                        keys = keys.Remove(key);
                        if (keys.IsEmpty)
                        {
                            index.Remove(value);
                        }
                        else
                        {
                            index[value] = keys;
                        }
                    }
                }
            }
        }
    }
}
