using System.Collections.Immutable;

namespace Operator.Runtime.Cache;

/// <summary>
/// An immutable view of a cache at one moment: objects and indexes always agree with each other, and nothing a
/// writer does later changes what a reader of this snapshot sees.
/// </summary>
public sealed class CacheSnapshot<T>
    where T : class
{
    internal static readonly CacheSnapshot<T> Empty = new(
        ImmutableDictionary<ObjectKey, T>.Empty,
        ImmutableDictionary<string, ImmutableDictionary<string, IndexBucket>>.Empty.WithComparers(StringComparer.Ordinal));

    internal CacheSnapshot(
        ImmutableDictionary<ObjectKey, T> objects,
        ImmutableDictionary<string, ImmutableDictionary<string, IndexBucket>> indexes)
    {
        Objects = objects;
        Indexes = indexes;
    }

    public int Count => Objects.Count;

    public IEnumerable<ObjectKey> Keys => Objects.Keys;

    internal ImmutableDictionary<ObjectKey, T> Objects { get; }

    internal ImmutableDictionary<string, ImmutableDictionary<string, IndexBucket>> Indexes { get; }

    public T? Get(ObjectKey key) => Objects.GetValueOrDefault(key);

    public IReadOnlyList<T> List() => [.. Objects.Values];

    /// <summary>Objects indexed under <paramref name="value"/> by index <paramref name="indexName"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        if (!Indexes.TryGetValue(indexName, out var index))
        {
            throw new ArgumentException($"The cache has no index named '{indexName}'.", nameof(indexName));
        }

        return index.TryGetValue(value, out var keys) ? [.. keys.Keys.Select(k => Objects[k])] : [];
    }

    /// <summary>Keys indexed under <paramref name="value"/> by index <paramref name="indexName"/>.</summary>
    public IReadOnlyList<ObjectKey> KeysByIndex(string indexName, string value)
    {
        if (!Indexes.TryGetValue(indexName, out var index))
        {
            throw new ArgumentException($"The cache has no index named '{indexName}'.", nameof(indexName));
        }

        return index.TryGetValue(value, out var keys) ? [.. keys.Keys] : [];
    }
}
