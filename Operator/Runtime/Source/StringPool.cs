// Shares equal strings between cached objects. Every decoded object brings its own copy of strings that a
// thousand other objects also carry (namespace, owner kind and apiVersion, label keys and values, annotation
// keys); in a cache of 100,000 objects those copies are most of the memory. Invariants: Share returns a string
// equal to its argument; the pool never holds more than Capacity entries (it is emptied when full, which only
// costs sharing, never correctness); safe for concurrent use. ShareMetadata also stores small label and annotation
// maps as CompactStringMap, which is a fifth the size of a Dictionary.
using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Operator.Runtime.Source;

/// <summary>A bounded pool of shared string instances.</summary>
public sealed class StringPool(int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, string> pool = new(StringComparer.Ordinal);
    private int count;

    /// <summary>A process-wide pool for informers.</summary>
    public static StringPool Shared { get; } = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public string? Share(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (Interlocked.Increment(ref count) > Capacity)
        {
            pool.Clear();
            Interlocked.Exchange(ref count, 1);
        }

        return pool.GetOrAdd(value, value);
    }

    /// <summary>Replaces the object's repeated metadata strings with shared instances; returns the object.</summary>
    public T ShareMetadata<T>(T obj)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        obj.ApiVersion = Share(obj.ApiVersion);
        obj.Kind = Share(obj.Kind);
        if (obj.Metadata is not { } metadata)
        {
            return obj;
        }

        metadata.NamespaceProperty = Share(metadata.NamespaceProperty);
        if (metadata.Labels is { Count: > 0 } labels)
        {
            metadata.Labels = Copy(labels, shareValues: true);
        }

        if (metadata.Annotations is { Count: > 0 } annotations)
        {
            metadata.Annotations = Copy(annotations, shareValues: false);
        }

        foreach (var owner in metadata.OwnerReferences ?? [])
        {
            owner.ApiVersion = Share(owner.ApiVersion);
            owner.Kind = Share(owner.Kind);
            owner.Name = Share(owner.Name);
            owner.Uid = Share(owner.Uid);
        }

        return obj;
    }

    // Label values repeat across objects; annotation values (hashes, fingerprints, JSON) mostly do not.
    private IDictionary<string, string> Copy(IDictionary<string, string> source, bool shareValues)
    {
        IDictionary<string, string> copy = source.Count <= CompactStringMap.MaxEntries
            ? new CompactStringMap(source.Count)
            : new Dictionary<string, string>(source.Count, StringComparer.Ordinal);
        foreach (var (key, value) in source)
        {
            copy[Share(key)!] = shareValues ? Share(value)! : value;
        }

        return copy;
    }
}
