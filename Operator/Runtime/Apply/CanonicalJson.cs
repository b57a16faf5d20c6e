// A canonical JSON form, so that two documents that mean the same to the API server hash the same. Invariants:
// object keys sorted (ordinal); null values and empty lists left out (the API server drops both); numbers
// written from their decimal value without fractional zeros; strings that are resource quantities written as
// their decimal value ("1000m" and "1" are the same quantity, and the server stores the canonical one); list
// order kept. With a FieldsV1 set, only the fields the set names are written, so the live object can be cut
// down to what one field manager applied.
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Operator.Runtime.Apply;

/// <summary>Writes JSON values in canonical form, optionally restricted to a FieldsV1 field set.</summary>
public static partial class CanonicalJson
{
    /// <summary>The canonical UTF-8 form of <paramref name="value"/>, restricted to <paramref name="fieldSet"/> when given.</summary>
    public static byte[] Serialize(JsonElement value, JsonElement? fieldSet = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(writer, value, fieldSet);
        }

        return buffer.WrittenSpan.ToArray();
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

    private static string CanonicalString(string text)
    {
        if (text.Length == 0 || text.Length > 64 || !QuantityPattern().IsMatch(text))
        {
            return text;
        }

        try
        {
            return DecimalText(new ResourceQuantity(text).ToDecimal());
        }
        catch (FormatException)
        {
            return text;
        }
        catch (ArgumentException)
        {
            return text;
        }
        catch (OverflowException)
        {
            return text;
        }
    }

    // Kubernetes' quantity syntax: a signed decimal number with a binary or decimal suffix or an exponent. The
    // exponent is bounded: hex digests ("12e345678") look like quantities, and 10^345678 is not worth computing.
    [GeneratedRegex(@"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,2}|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();

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
                        using (var identity = JsonDocument.Parse(name.AsMemory(2)))
                        {
                            selectors.Add(new ItemSelector(name[0], identity.RootElement.Clone(), -1, entry.Value));
                        }

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
