// A canonical JSON form, so that two documents that mean the same to the API server hash the same. Invariants:
// object keys sorted (ordinal); null values and empty lists left out (the API server drops both); numbers
// written from their decimal value without fractional zeros; strings that are resource quantities written as
// their decimal value ("1000m" and "1" are the same quantity, and the server stores the canonical one); list
// order kept. With a FieldsV1 set, only the fields the set names are written, so the live object can be cut
// down to what one field manager applied (list items are matched to the set by FieldSetItems). Quantities are read by
// Quantity.
using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Operator.Primitives;

namespace Operator.Runtime.Apply;

/// <summary>Writes JSON values in canonical form, optionally restricted to a FieldsV1 field set.</summary>
public static class CanonicalJson
{
    // Fingerprints are computed for every object an informer decodes: one reusable buffer per thread.
    [ThreadStatic]
    private static ReusableJsonBuffer? threadBuffer;

    /// <summary>The canonical UTF-8 form of <paramref name="value"/>, restricted to <paramref name="fieldSet"/> when given.</summary>
    public static byte[] Serialize(JsonElement value, JsonElement? fieldSet = null) => WriteToThreadBuffer(value, fieldSet).ToArray();

    /// <summary>The SHA-256 of the canonical form, written to <paramref name="destination"/> (32 bytes).</summary>
    public static void Sha256(JsonElement value, JsonElement? fieldSet, Span<byte> destination) =>
        SHA256.HashData(WriteToThreadBuffer(value, fieldSet), destination);

    private static ReadOnlySpan<byte> WriteToThreadBuffer(JsonElement value, JsonElement? fieldSet)
    {
        var buffer = threadBuffer ??= new ReusableJsonBuffer(new JsonWriterOptions { SkipValidation = true });
        Write(buffer.Start(), value, fieldSet);
        return buffer.Finish().Span;
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
                WriteString(writer, value);
                break;
            case JsonValueKind.Number:
                WriteNumber(writer, value);
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>True when the value would be left out of its parent object.</summary>
    public static bool IsOmitted(JsonElement value) =>
        value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0);

    // Members are gathered into a pooled array and sorted by their UTF-8 names, read in place from the document:
    // a fingerprint visits every field of every object an informer decodes, and allocating a list and a name
    // string per field was most of the operator's allocation while listing.
    private static void WriteObject(Utf8JsonWriter writer, JsonElement value, JsonElement? fieldSet)
    {
        var capacity = (fieldSet ?? value).GetPropertyCount();
        var members = ArrayPool<Member>.Shared.Rent(Math.Max(capacity, 1));
        var count = 0;
        try
        {
            if (fieldSet is not { } set)
            {
                foreach (var property in value.EnumerateObject())
                {
                    if (!IsOmitted(property.Value))
                    {
                        members[count++] = Member.Of(property, 0, property.Value, null);
                    }
                }
            }
            else
            {
                foreach (var entry in set.EnumerateObject())
                {
                    var raw = JsonMarshal.GetRawUtf8PropertyName(entry);
                    if (raw.Length > 2 && raw[0] == (byte)'f' && raw[1] == (byte)':')
                    {
                        var member = Member.Of(entry, 2, default, entry.Value);
                        if (value.TryGetProperty(member.Name, out var field) && !IsOmitted(field))
                        {
                            members[count++] = member with { Value = field };
                        }
                    }
                }
            }

            Array.Sort(members, 0, count, MemberOrder.Instance);
            writer.WriteStartObject();
            for (var i = 0; i < count; i++)
            {
                writer.WritePropertyName(members[i].Name);
                Write(writer, members[i].Value, members[i].Set);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<Member>.Shared.Return(members, clearArray: true);
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, JsonElement value, JsonElement? fieldSet)
    {
        writer.WriteStartArray();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (fieldSet is not { } set)
            {
                Write(writer, item, null);
            }
            else if (FieldSetItems.Find(set, item, index) is { } itemSet)
            {
                Write(writer, item, itemSet);
            }

            index++;
        }

        writer.WriteEndArray();
    }

    // A set names members with "f:", "k:", "v:" or "i:"; "." alone only marks the field itself as owned.
    private static bool HasMembers(JsonElement set)
    {
        if (set.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var entry in set.EnumerateObject())
        {
            if (!JsonMarshal.GetRawUtf8PropertyName(entry).SequenceEqual("."u8))
            {
                return true;
            }
        }

        return false;
    }

    // Most strings are names, images and the like: written from the document's UTF-8 without a string allocated
    // for each. The writer escapes them as it escapes a decoded string, so the canonical form does not depend on
    // how the source escaped them. Only what could be a quantity (a digit, sign or point first) is decoded.
    private static void WriteString(Utf8JsonWriter writer, JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var content = raw[1..^1];
        if (content.Length > 0 && content.IndexOf((byte)'\\') < 0 && !MayBeQuantity(content[0]))
        {
            writer.WriteStringValue(content);
            return;
        }

        writer.WriteStringValue(CanonicalString(value.GetString()!));
    }

    private static bool MayBeQuantity(byte first) => first is (>= (byte)'0' and <= (byte)'9') or (byte)'+' or (byte)'-' or (byte)'.';

    // An integer without sign is already canonical (JSON has no leading zeros); anything else is rewritten.
    private static void WriteNumber(Utf8JsonWriter writer, JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.IndexOfAnyExcept("0123456789"u8) < 0)
        {
            writer.WriteRawValue(raw, skipInputValidation: true);
            return;
        }

        writer.WriteRawValue(CanonicalNumber(value), skipInputValidation: true);
    }

    /// <summary>A number's canonical text: its decimal value without fractional zeros (or its raw text beyond a decimal).</summary>
    internal static string CanonicalNumber(JsonElement number)
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
        text.Length is > 0 and <= 64 && Quantity.TryParse(text, out var value) ? DecimalText(value) : text;

    /// <summary>
    /// A member to write: its name (the UTF-8 property name, from <c>offset</c> on; decoded only when the document
    /// escaped it), its value, and its FieldsV1 set.
    /// </summary>
    private readonly record struct Member(JsonProperty NameSource, int Offset, byte[]? DecodedName, JsonElement Value, JsonElement? Set)
    {
        public ReadOnlySpan<byte> Name => DecodedName ?? JsonMarshal.GetRawUtf8PropertyName(NameSource)[Offset..];

        public static Member Of(JsonProperty nameSource, int offset, JsonElement value, JsonElement? set)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(nameSource);
            var decoded = raw.Contains((byte)'\\') ? Encoding.UTF8.GetBytes(nameSource.Name[offset..]) : null;
            return new Member(nameSource, offset, decoded, value, set);
        }
    }

    private sealed class MemberOrder : IComparer<Member>
    {
        public static readonly MemberOrder Instance = new();

        public int Compare(Member x, Member y) => x.Name.SequenceCompareTo(y.Name);
    }
}
