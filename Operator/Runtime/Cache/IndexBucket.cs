// The keys an index holds under one value. Most values (a controller owner's uid) name a handful of objects, for
// which an exact-size array costs a quarter of an ImmutableHashSet (a set object plus a tree node per key); a bucket
// past SmallLimit keys becomes an ImmutableHashSet, so a large one (a namespace of 100,000 objects) still adds and
// removes in O(log n). Invariants: immutable (Add and Remove return a new bucket); no key twice; the default bucket
// is empty.
using System.Collections.Immutable;

namespace Operator.Runtime.Cache;

/// <summary>An immutable set of <see cref="ObjectKey"/>s, small ones as an array.</summary>
internal readonly struct IndexBucket : IEquatable<IndexBucket>
{
    /// <summary>The most keys held as an array.</summary>
    internal const int SmallLimit = 8;

    // Null (empty), an ObjectKey[] of 1 to SmallLimit keys, or an ImmutableHashSet<ObjectKey> of more.
    private readonly object? keys;

    private IndexBucket(object? keys) => this.keys = keys;

    public bool IsEmpty => keys is null;

    public int Count => keys switch
    {
        null => 0,
        ObjectKey[] small => small.Length,
        _ => ((ImmutableHashSet<ObjectKey>)keys).Count,
    };

    /// <summary>The keys, in no particular order.</summary>
    public IEnumerable<ObjectKey> Keys => keys switch
    {
        null => [],
        ObjectKey[] small => small,
        _ => (ImmutableHashSet<ObjectKey>)keys,
    };

    // Identity, not contents: an immutable dictionary compares a value it is given with the one it holds, and the
    // same bucket is the only case worth detecting.
    public static bool operator ==(IndexBucket left, IndexBucket right) => left.Equals(right);

    public static bool operator !=(IndexBucket left, IndexBucket right) => !left.Equals(right);

    public bool Equals(IndexBucket other) => ReferenceEquals(keys, other.keys);

    public override bool Equals(object? obj) => obj is IndexBucket other && Equals(other);

    public override int GetHashCode() => keys is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(keys);

    public IndexBucket Add(ObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (keys)
        {
            case null:
                return new IndexBucket(new[] { key });
            case ObjectKey[] small when Array.IndexOf(small, key) >= 0:
                return this;
            case ObjectKey[] small when small.Length < SmallLimit:
                var grown = new ObjectKey[small.Length + 1];
                small.CopyTo(grown, 0);
                grown[^1] = key;
                return new IndexBucket(grown);
            case ObjectKey[] small:
                return new IndexBucket(ImmutableHashSet.CreateRange(small).Add(key));
            default:
                return new IndexBucket(((ImmutableHashSet<ObjectKey>)keys).Add(key));
        }
    }

    public IndexBucket Remove(ObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (keys)
        {
            case null:
                return this;
            case ObjectKey[] small:
                var at = Array.IndexOf(small, key);
                if (at < 0)
                {
                    return this;
                }

                if (small.Length == 1)
                {
                    return default;
                }

                var shrunk = new ObjectKey[small.Length - 1];
                Array.Copy(small, 0, shrunk, 0, at);
                Array.Copy(small, at + 1, shrunk, at, small.Length - at - 1);
                return new IndexBucket(shrunk);
            default:
                var set = ((ImmutableHashSet<ObjectKey>)keys).Remove(key);
                return set.Count switch
                {
                    0 => default,
                    <= SmallLimit => new IndexBucket(set.ToArray()),
                    _ => new IndexBucket(set),
                };
        }
    }
}
