// The parse cache of FieldsV1 item identities. Invariant: bounded (emptied when full), so an adversarial stream of
// distinct identities costs at most its capacity in memory.
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Operator.Runtime.Apply;

/// <summary>
/// Parsed "k:" and "v:" identities, looked up by their name as written in the document. The same few
/// (container, env and port names) recur in every object of a kind, and parsing them was most of the cost of
/// a fingerprint. Bounded: emptied when full.
/// </summary>
internal static class FieldSetIdentities
{
    private const int Capacity = 20_000;
    private static readonly ConcurrentDictionary<string, JsonElement> Parsed = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, JsonElement>.AlternateLookup<ReadOnlySpan<char>> ByChars = Parsed.GetAlternateLookup<ReadOnlySpan<char>>();

    public static JsonElement Get(JsonProperty entry, ReadOnlySpan<byte> raw)
    {
        var chars = raw.Length <= 512 ? stackalloc char[raw.Length] : new char[raw.Length];
        var written = Encoding.UTF8.GetChars(raw, chars);
        if (ByChars.TryGetValue(chars[..written], out var identity))
        {
            return identity;
        }

        if (Parsed.Count >= Capacity)
        {
            Parsed.Clear();
        }

        using var document = JsonDocument.Parse(entry.Name.AsMemory(2));
        return Parsed.GetOrAdd(new string(chars[..written]), document.RootElement.Clone());
    }
}
