// Invariant: a snapshot is immutable; every object in it has ResourceVersion <= the snapshot's ResourceVersion,
// and the snapshot reflects exactly the writes up to and including that resourceVersion.
using System.Collections.Immutable;

namespace Operator.Emulator.Storage;

/// <summary>The whole store at one resourceVersion.</summary>
public sealed record StoreSnapshot(
    long ResourceVersion,
    ImmutableDictionary<GroupResource, ImmutableSortedDictionary<ObjectKey, StoredObject>> Collections)
{
    public static StoreSnapshot Empty { get; } = new(0, ImmutableDictionary<GroupResource, ImmutableSortedDictionary<ObjectKey, StoredObject>>.Empty);

    public StoredObject? Get(GroupResource type, ObjectKey key) =>
        Collections.TryGetValue(type, out var collection) && collection.TryGetValue(key, out var found) ? found : null;

    /// <summary>Objects of one collection in key order, in one namespace or (null) all, strictly after <paramref name="after"/>.</summary>
    public IEnumerable<StoredObject> Items(GroupResource type, string? inNamespace, ObjectKey? after = null)
    {
        if (!Collections.TryGetValue(type, out var collection))
        {
            yield break;
        }

        foreach (var (key, value) in collection)
        {
            if (after is { } start && key <= start)
            {
                continue;
            }

            if (inNamespace is not null && key.Namespace != inNamespace)
            {
                continue;
            }

            yield return value;
        }
    }

    /// <summary>Every object of every collection.</summary>
    public IEnumerable<StoredObject> AllItems() => Collections.Values.SelectMany(collection => collection.Values);

    internal StoreSnapshot With(long resourceVersion, GroupResource type, ObjectKey key, StoredObject? value)
    {
        var collection = Collections.TryGetValue(type, out var existing)
            ? existing
            : ImmutableSortedDictionary<ObjectKey, StoredObject>.Empty;
        collection = value is null ? collection.Remove(key) : collection.SetItem(key, value);
        return new StoreSnapshot(resourceVersion, Collections.SetItem(type, collection));
    }
}
