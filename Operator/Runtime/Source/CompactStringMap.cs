// A string map for the few labels and annotations a cached object keeps. A Dictionary<string, string> costs about
// 200 bytes with one entry (the object, its buckets and its entries); an informer cache of 100,000 objects, most with a
// single annotation, spends 20 MB on them. This map is one object and one array, sized to its entries. Invariants:
// keys are unique under ordinal comparison; entries keep insertion order, except that Remove moves the last entry
// into the removed one's place; lookups are linear, so it is meant for a handful of entries (StringPool uses it up to
// MaxEntries and a Dictionary beyond).
using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Operator.Runtime.Source;

/// <summary>A small, array-backed <see cref="IDictionary{TKey, TValue}"/> of strings with ordinal keys.</summary>
public sealed class CompactStringMap : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    /// <summary>Above this many entries a hashed dictionary is smaller per lookup than a scan is cheap.</summary>
    public const int MaxEntries = 8;

    private KeyValuePair<string, string>[] entries;
    private int count;

    public CompactStringMap(int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        entries = capacity == 0 ? [] : new KeyValuePair<string, string>[capacity];
    }

    public int Count => count;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => Project(static e => e.Key);

    public ICollection<string> Values => Project(static e => e.Value);

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Keys;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values;

    private ReadOnlySpan<KeyValuePair<string, string>> Entries => entries.AsSpan(0, count);

    public string this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' is not in the map.");
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            var index = IndexOf(key);
            if (index >= 0)
            {
                entries[index] = new(entries[index].Key, value);
            }
            else
            {
                Append(key, value);
            }
        }
    }

    public void Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (IndexOf(key) >= 0)
        {
            throw new ArgumentException($"The key '{key}' is already in the map.", nameof(key));
        }

        Append(key, value);
    }

    public void Add(KeyValuePair<string, string> item) => Add(item.Key, item.Value);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool Contains(KeyValuePair<string, string> item) =>
        IndexOf(item.Key) is var index and >= 0 && string.Equals(entries[index].Value, item.Value, StringComparison.Ordinal);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? entries[index].Value : null;
        return index >= 0;
    }

    public bool Remove(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        count--;
        entries[index] = entries[count];
        entries[count] = default;
        return true;
    }

    public bool Remove(KeyValuePair<string, string> item) => Contains(item) && Remove(item.Key);

    public void Clear()
    {
        Array.Clear(entries, 0, count);
        count = 0;
    }

    public void CopyTo(KeyValuePair<string, string>[] array, int arrayIndex) => Entries.CopyTo(array.AsSpan(arrayIndex));

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return entries[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string[] Project(Func<KeyValuePair<string, string>, string> part)
    {
        var projected = new string[count];
        for (var i = 0; i < count; i++)
        {
            projected[i] = part(entries[i]);
        }

        return projected;
    }

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var span = Entries;
        for (var i = 0; i < span.Length; i++)
        {
            if (string.Equals(span[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Append(string key, string value)
    {
        if (count == entries.Length)
        {
            Array.Resize(ref entries, Math.Max(1, count + 1));
        }

        entries[count++] = new(key, value);
    }
}
