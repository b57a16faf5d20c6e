// Invariants: a snapshot is immutable; every object in it has ResourceVersion <= the snapshot's ResourceVersion,
// and the snapshot reflects exactly the writes up to and including that resourceVersion. Its indexes (by uid, by
// owner uid, by namespace) describe exactly the objects in its collections, so lookups through them cost
// O(log n) instead of a scan of the store.
using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Operator.Emulator.Storage;

/// <summary>The whole store at one resourceVersion.</summary>
public sealed record StoreSnapshot(
    long ResourceVersion,
    ImmutableDictionary<GroupResource, ImmutableSortedDictionary<ObjectKey, StoredObject>> Collections)
{
    private ImmutableDictionary<string, ObjectRef> byUid = ImmutableDictionary.Create<string, ObjectRef>(StringComparer.Ordinal);
    private ImmutableDictionary<string, ImmutableHashSet<ObjectRef>> byOwnerUid = ImmutableDictionary.Create<string, ImmutableHashSet<ObjectRef>>(StringComparer.Ordinal);
    private ImmutableDictionary<string, ImmutableHashSet<ObjectRef>> byNamespace = ImmutableDictionary.Create<string, ImmutableHashSet<ObjectRef>>(StringComparer.Ordinal);
    private ConcurrentDictionary<GroupResource, StoredObject[]>? ordered;

    public static StoreSnapshot Empty { get; } = new(0, ImmutableDictionary<GroupResource, ImmutableSortedDictionary<ObjectKey, StoredObject>>.Empty);

    /// <summary>How many objects the store holds.</summary>
    public int Count { get; private init; }

    public StoredObject? Get(GroupResource type, ObjectKey key) =>
        Collections.TryGetValue(type, out var collection) && collection.TryGetValue(key, out var found) ? found : null;

    public StoredObject? Get(ObjectRef reference) => Get(reference.Type, reference.Key);

    /// <summary>The object with metadata.uid <paramref name="uid"/>, if it exists.</summary>
    public StoredObject? FindByUid(string uid) => byUid.TryGetValue(uid, out var reference) ? Get(reference) : null;

    /// <summary>Whether an object with metadata.uid <paramref name="uid"/> exists.</summary>
    public bool Exists(string uid) => byUid.ContainsKey(uid);

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public IEnumerable<StoredObject> DependentsOf(string ownerUid) =>
        byOwnerUid.TryGetValue(ownerUid, out var dependents) ? dependents.Select(reference => Get(reference)!) : [];

    /// <summary>Every namespaced object, of any collection, in namespace <paramref name="inNamespace"/>.</summary>
    public IEnumerable<StoredObject> InNamespace(string inNamespace) =>
        byNamespace.TryGetValue(inNamespace, out var content) ? content.Select(reference => Get(reference)!) : [];

    /// <summary>Objects of one collection in storage-key order (see <see cref="ObjectKey"/>), in one namespace or (null) all, strictly after <paramref name="after"/>.</summary>
    /// <remarks>
    /// Found by binary search in the collection's key-ordered array, so each page of a paginated list costs
    /// O(log n + page) instead of a walk from the first key to the continue position.
    /// </remarks>
    public ArraySegment<StoredObject> Items(GroupResource type, string? inNamespace, ObjectKey? after = null)
    {
        var ordered = Ordered(type);
        var start = FirstWhere(ordered, key =>
            (after is not { } bound || key > bound) && (inNamespace is null || key.CompareToNamespaceStart(inNamespace) >= 0));
        // A namespace's keys are the contiguous run that starts at "namespace/"; the first key past it ends the run.
        var end = inNamespace is null ? ordered.Length : FirstWhere(ordered, key => key.CompareToNamespaceStart(inNamespace) > 0 && !key.IsIn(inNamespace));
        return new ArraySegment<StoredObject>(ordered, start, Math.Max(0, end - start));
    }

    // Built once per snapshot and collection, on the first list that reads it; a snapshot never changes. Most
    // snapshots (one per write) are never listed, so the map itself is created on first use too.
    private StoredObject[] Ordered(GroupResource type) =>
        LazyInitializer.EnsureInitialized(ref ordered).GetOrAdd(type, static (t, collections) => collections.TryGetValue(t, out var c) ? [.. c.Values] : [], Collections);

    // The first index whose key satisfies a predicate that is false for a prefix of the keys and true after it.
    private static int FirstWhere(StoredObject[] items, Func<ObjectKey, bool> predicate)
    {
        int low = 0, high = items.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (predicate(items[middle].Key))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>Every object of every collection.</summary>
    public IEnumerable<StoredObject> AllItems() => Collections.Values.SelectMany(collection => collection.Values);

    /// <summary>The snapshot after one write: <paramref name="previous"/> (null: none) replaced by <paramref name="value"/> (null: removed).</summary>
    internal StoreSnapshot With(long resourceVersion, GroupResource type, ObjectKey key, StoredObject? previous, StoredObject? value)
    {
        var collection = Collections.TryGetValue(type, out var existing)
            ? existing
            : ImmutableSortedDictionary<ObjectKey, StoredObject>.Empty;
        collection = value is null ? collection.Remove(key) : collection.SetItem(key, value);
        var reference = new ObjectRef(type, key);
        var uids = byUid;
        var owners = byOwnerUid;
        var namespaces = byNamespace;
        if (previous is not null && previous.Uid.Length > 0 && previous.Uid != value?.Uid)
        {
            uids = uids.Remove(previous.Uid);
        }

        if (value is not null && value.Uid.Length > 0 && value.Uid != previous?.Uid)
        {
            uids = uids.SetItem(value.Uid, reference);
        }

        foreach (var gone in (previous?.OwnerUids ?? []).Except(value?.OwnerUids ?? [], StringComparer.Ordinal))
        {
            owners = Without(owners, gone, reference);
        }

        foreach (var added in (value?.OwnerUids ?? []).Except(previous?.OwnerUids ?? [], StringComparer.Ordinal))
        {
            owners = With(owners, added, reference);
        }

        if (key.Namespace.Length > 0 && (previous is null) != (value is null))
        {
            namespaces = value is null ? Without(namespaces, key.Namespace, reference) : With(namespaces, key.Namespace, reference);
        }

        return new StoreSnapshot(resourceVersion, Collections.SetItem(type, collection))
        {
            byUid = uids,
            byOwnerUid = owners,
            byNamespace = namespaces,
            Count = Count + (previous is null ? 1 : 0) - (value is null ? 1 : 0),
        };
    }

    private static ImmutableDictionary<string, ImmutableHashSet<ObjectRef>> With(
        ImmutableDictionary<string, ImmutableHashSet<ObjectRef>> index, string key, ObjectRef reference) =>
        index.SetItem(key, (index.TryGetValue(key, out var set) ? set : []).Add(reference));

    private static ImmutableDictionary<string, ImmutableHashSet<ObjectRef>> Without(
        ImmutableDictionary<string, ImmutableHashSet<ObjectRef>> index, string key, ObjectRef reference)
    {
        if (!index.TryGetValue(key, out var set))
        {
            return index;
        }

        set = set.Remove(reference);
        return set.IsEmpty ? index.Remove(key) : index.SetItem(key, set);
    }
}
