// How a FieldsV1 set names the items of a list: by key fields ("k:{...}"), by value ("v:..."), or by index ("i:N"),
// as structured-merge-diff writes them. Numbers compare by value, everything else exactly.
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Operator.Runtime.Apply;

/// <summary>Finds the FieldsV1 entry naming a list item: by key fields ("k:"), by value ("v:"), or by index ("i:").</summary>
internal static class FieldSetItems
{
    public static JsonElement? Find(JsonElement set, JsonElement item, int index)
    {
        foreach (var entry in set.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(entry);
            if (raw.Length < 2 || raw[1] != (byte)':')
            {
                continue;
            }

            var matches = raw[0] switch
            {
                (byte)'k' => MatchesKey(item, FieldSetIdentities.Get(entry, raw)),
                (byte)'v' => SameValue(item, FieldSetIdentities.Get(entry, raw)),
                (byte)'i' => Utf8Parser.TryParse(raw[2..], out int at, out var consumed) && consumed == raw.Length - 2 && at == index,
                _ => false,
            };
            if (matches)
            {
                return entry.Value;
            }
        }

        return null;
    }

    private static bool MatchesKey(JsonElement item, JsonElement key)
    {
        if (item.ValueKind != JsonValueKind.Object || key.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var field in key.EnumerateObject())
        {
            if (!item.TryGetProperty(JsonMarshal.GetRawUtf8PropertyName(field), out var value) || !SameValue(value, field.Value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameValue(JsonElement a, JsonElement b) =>
        a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number
            ? CanonicalJson.CanonicalNumber(a) == CanonicalJson.CanonicalNumber(b)
            : JsonElement.DeepEquals(a, b);
}
