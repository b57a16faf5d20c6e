// A canonical JSON form, so that two documents that mean the same to the API server hash the same. Invariants:
// object keys sorted (ordinal); null values and empty lists left out (the API server drops both); numbers
// written from their decimal value without fractional zeros; strings that are resource quantities written as
// their decimal value ("1000m" and "1" are the same quantity, and the server stores the canonical one); list
// order kept. With a FieldsV1 set, only the fields the set names are written, so the live object can be cut
// down to what one field manager applied.
using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Operator.Runtime.Apply;

/// <summary>Writes JSON values in canonical form, optionally restricted to a FieldsV1 field set.</summary>
public static partial class CanonicalJson
{
    // Fingerprints are computed for every object an informer decodes; one buffer and writer per thread keep
    // that from allocating a new, growing buffer each time. Callers never await while holding them.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? threadWriter;

    /// <summary>The canonical UTF-8 form of <paramref name="value"/>, restricted to <paramref name="fieldSet"/> when given.</summary>
    public static byte[] Serialize(JsonElement value, JsonElement? fieldSet = null) => WriteToThreadBuffer(value, fieldSet).ToArray();

    /// <summary>The SHA-256 of the canonical form, written to <paramref name="destination"/> (32 bytes).</summary>
    public static void Sha256(JsonElement value, JsonElement? fieldSet, Span<byte> destination) =>
        SHA256.HashData(WriteToThreadBuffer(value, fieldSet), destination);

    private static ReadOnlySpan<byte> WriteToThreadBuffer(JsonElement value, JsonElement? fieldSet)
    {
        var buffer = threadBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = threadWriter ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        writer.Reset(buffer);
        Write(writer, value, fieldSet);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>Writes <paramref name="value"/>; with <paramref name="fieldSet"/> (a FieldsV1 node) only the fields it names.</summary>
    public static void Write(Utf8JsonWriter writer, JsonElement value, JsonElement? fieldSet)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var whole = fieldSet is not { } set || !HasMembers(set);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, value, whole ? null : fieldSet);
                break;
            case JsonValueKind.Array:
                WriteArray(writer, value, whole ? null : fieldSet);
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(CanonicalString(value.GetString()!));
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(CanonicalNumber(value), skipInputValidation: true);
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>True when the value would be left out of its parent object.</summary>
    public static bool IsOmitted(JsonElement value) =>
        value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0);

    private static void WriteObject(Utf8JsonWriter writer, JsonElement value, JsonElement? fieldSet)
    {
        var members = new List<(string Name, JsonElement Value, JsonElement? Set)>();
        if (fieldSet is not { } set)
        {
            foreach (var property in value.EnumerateObject())
            {
                members.Add((property.Name, property.Value, null));
            }
        }
        else
        {
            foreach (var entry in set.EnumerateObject())
            {
                if (entry.Name.StartsWith("f:", StringComparison.Ordinal) && value.TryGetProperty(entry.Name.AsSpan(2), out var field))
                {
                    members.Add((entry.Name[2..], field, entry.Value));
                }
            }
        }

        members.RemoveAll(m => IsOmitted(m.Value));
        members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        writer.WriteStartObject();
        foreach (var (name, field, childSet) in members)
        {
            writer.WritePropertyName(name);
            Write(writer, field, childSet);
        }

        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, JsonElement value, JsonElement? fieldSet)
    {
        writer.WriteStartArray();
        if (fieldSet is not { } set)
        {
            foreach (var item in value.EnumerateArray())
            {
                Write(writer, item, null);
            }
        }
        else
        {
            var selectors = ItemSelector.Parse(set);
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                foreach (var selector in selectors)
                {
                    if (selector.Matches(item, index))
                    {
                        Write(writer, item, selector.Set);
                        break;
                    }
                }

                index++;
            }
        }

        writer.WriteEndArray();
    }

    // A set names members with "f:", "k:", "v:" or "i:"; "." alone only marks the field itself as owned.
    private static bool HasMembers(JsonElement set) =>
        set.ValueKind == JsonValueKind.Object && set.EnumerateObject().Any(p => p.Name != ".");

    private static string CanonicalNumber(JsonElement number)
    {
        if (!number.TryGetDecimal(out var value))
        {
            return number.GetRawText();
        }

        return DecimalText(value);
    }

    private static string DecimalText(decimal value)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return text == "-0" ? "0" : text;
    }

    private static string CanonicalString(string text) =>
        text.Length is > 0 and <= 64 && TryParseQuantity(text, out var value) ? DecimalText(value) : text;

    /// <summary>
    /// Kubernetes' quantity syntax (a signed decimal with a binary suffix, a decimal suffix or an exponent) read as
    /// a decimal. False for anything else, and for values a decimal cannot hold (those are compared as text).
    /// </summary>
    public static bool TryParseQuantity(string text, out decimal value)
    {
        value = 0;
        var match = QuantityPattern().Match(text);
        if (!match.Success || !decimal.TryParse(match.Groups["number"].ValueSpan, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = match.Groups["suffix"].Value;
        try
        {
            value = suffix switch
            {
                "" => number,
                "Ki" => number * (1L << 10),
                "Mi" => number * (1L << 20),
                "Gi" => number * (1L << 30),
                "Ti" => number * (1L << 40),
                "Pi" => number * (1L << 50),
                "Ei" => number * (1L << 60),
                "n" => number / 1_000_000_000m,
                "u" => number / 1_000_000m,
                "m" => number / 1_000m,
                "k" => number * 1_000m,
                "M" => number * 1_000_000m,
                "G" => number * 1_000_000_000m,
                "T" => number * 1_000_000_000_000m,
                "P" => number * 1_000_000_000_000_000m,
                "E" => number * 1_000_000_000_000_000_000m,
                _ => Exponent(number, int.Parse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            };
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static decimal Exponent(decimal number, int exponent)
    {
        var factor = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            factor *= 10;
        }

        return exponent >= 0 ? number * factor : number / factor;
    }

    // The exponent is bounded: hex digests ("12e345678") look like quantities and are compared as text.
    [GeneratedRegex(@"^(?<number>[+-]?(\d+\.?\d*|\.\d+))(?<suffix>[eE][+-]?\d{1,2}|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex QuantityPattern();

    /// <summary>
    /// Parsed "k:" and "v:" identities. The same few (container, env and port names) recur in every object of a
    /// kind, and parsing them was most of the cost of a fingerprint. Bounded: emptied when full.
    /// </summary>
    private static class Identities
    {
        private const int Capacity = 20_000;
        private static readonly ConcurrentDictionary<string, JsonElement> Parsed = new(StringComparer.Ordinal);

        public static JsonElement Get(string encoded)
        {
            if (Parsed.TryGetValue(encoded, out var identity))
            {
                return identity;
            }

            if (Parsed.Count >= Capacity)
            {
                Parsed.Clear();
            }

            using var document = JsonDocument.Parse(encoded.AsMemory(2));
            return Parsed.GetOrAdd(encoded, document.RootElement.Clone());
        }
    }

    /// <summary>Which list items a FieldsV1 set names: by key fields, by value, or by index.</summary>
    private sealed record ItemSelector(char Kind, JsonElement Identity, int Index, JsonElement Set)
    {
        public static List<ItemSelector> Parse(JsonElement set)
        {
            var selectors = new List<ItemSelector>();
            foreach (var entry in set.EnumerateObject())
            {
                var name = entry.Name;
                if (name.Length < 2 || name[1] != ':')
                {
                    continue;
                }

                switch (name[0])
                {
                    case 'k':
                    case 'v':
                        selectors.Add(new ItemSelector(name[0], Identities.Get(name), -1, entry.Value));
                        break;
                    case 'i' when int.TryParse(name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var index):
                        selectors.Add(new ItemSelector('i', default, index, entry.Value));
                        break;
                }
            }

            return selectors;
        }

        public bool Matches(JsonElement item, int index) => Kind switch
        {
            'i' => index == Index,
            'v' => SameValue(item, Identity),
            _ => item.ValueKind == JsonValueKind.Object && Identity.ValueKind == JsonValueKind.Object && Identity.EnumerateObject().All(key => item.TryGetProperty(key.Name, out var field) && SameValue(field, key.Value)),
        };

        private static bool SameValue(JsonElement a, JsonElement b) =>
            a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number
                ? CanonicalNumber(a) == CanonicalNumber(b)
                : JsonElement.DeepEquals(a, b);
    }
}
