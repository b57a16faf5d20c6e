// Protobuf wire bytes of a Kubernetes message -> the JSON object kube-apiserver would have decoded from the same
// object. Zero scalars of omitempty, non-pointer fields are dropped (the Go types write them on the wire but their
// JSON omits them); a zero or empty timestamp is null, as metav1.Time's JSON is. Unknown field numbers are refused.
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Operator.Emulator.Protobuf;

/// <summary>Decodes a Kubernetes protobuf message into JSON by the field table.</summary>
internal static class ProtobufDecoder
{
    /// <summary>Seconds of Go's zero time.Time (0001-01-01T00:00:00Z) since the Unix epoch.</summary>
    internal const long ZeroTimeSeconds = -62135596800;

    public static JsonObject Decode(ProtobufMessage message, ByteString data)
    {
        var result = new JsonObject();
        var input = data.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!message.ByNumber.TryGetValue(number, out var field))
            {
                throw new ProtobufMappingException($"field {number} of {message.Name} is not known to the emulator");
            }

            var wireType = WireFormat.GetTagWireType(tag);
            if (field.Inline)
            {
                foreach (var (name, value) in Decode(Message(field), input.ReadBytes()).ToList())
                {
                    result[name] = value?.DeepClone();
                }
            }
            else if (field.Map)
            {
                var entries = result[field.JsonName] as JsonObject ?? [];
                var (key, value) = ReadMapEntry(field, input.ReadBytes());
                entries[key] = value;
                result[field.JsonName] = entries;
            }
            else if (field.Repeated)
            {
                var items = result[field.JsonName] as JsonArray ?? [];
                if (wireType == WireFormat.WireType.LengthDelimited && !field.LengthDelimited)
                {
                    var packed = input.ReadBytes().CreateCodedInput();
                    while (!packed.IsAtEnd)
                    {
                        items.Add(ReadValue(field, packed));
                    }
                }
                else
                {
                    items.Add(ReadValue(field, input));
                }

                result[field.JsonName] = items;
            }
            else
            {
                var value = ReadValue(field, input);
                // A Go struct-typed timestamp (metav1.Time, not a pointer) is JSON null when zero, never omitted.
                if (field.KeepZero || !IsZero(value) || field.Type is ProtobufFieldType.Time or ProtobufFieldType.MicroTime)
                {
                    result[field.JsonName] = value;
                }
                else
                {
                    result.Remove(field.JsonName);
                }
            }
        }

        return result;
    }

    private static ProtobufMessage Message(ProtobufField field) => KubernetesMessages.Message(field.MessageName!);

    private static (string Key, JsonNode? Value) ReadMapEntry(ProtobufField field, ByteString entry)
    {
        var input = entry.CreateCodedInput();
        var key = string.Empty;
        JsonNode? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2:
                    value = ReadValue(field, input);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        // An entry without a value on the wire holds the value type's zero value.
        return (key, value ?? ZeroOf(field));
    }

    private static JsonNode? ZeroOf(ProtobufField field) => field.Type switch
    {
        ProtobufFieldType.String or ProtobufFieldType.Bytes or ProtobufFieldType.Quantity => JsonValue.Create(string.Empty),
        ProtobufFieldType.Message => new JsonObject(),
        ProtobufFieldType.StringList => new JsonArray(),
        _ => null,
    };

    private static JsonNode? ReadValue(ProtobufField field, CodedInputStream input) => field.Type switch
    {
        ProtobufFieldType.String => JsonValue.Create(input.ReadString()),
        ProtobufFieldType.Bytes => JsonValue.Create(Convert.ToBase64String(input.ReadBytes().Span)),
        ProtobufFieldType.Bool => JsonValue.Create(input.ReadBool()),
        ProtobufFieldType.Int32 => JsonValue.Create(input.ReadInt32()),
        ProtobufFieldType.Int64 => JsonValue.Create(input.ReadInt64()),
        ProtobufFieldType.Double => JsonValue.Create(input.ReadDouble()),
        ProtobufFieldType.Float => JsonValue.Create(input.ReadFloat()),
        ProtobufFieldType.Message => Decode(Message(field), input.ReadBytes()),
        _ => ReadSpecial(field.Type, input.ReadBytes()),
    };

    /// <summary>Messages whose JSON form is not an object of their fields.</summary>
    private static JsonNode? ReadSpecial(ProtobufFieldType type, ByteString data)
    {
        var fields = new Dictionary<int, object>();
        var strings = new JsonArray();
        var input = data.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint:
                    fields[number] = input.ReadInt64();
                    break;
                case WireFormat.WireType.LengthDelimited:
                    var bytes = input.ReadBytes();
                    fields[number] = bytes;
                    if (type == ProtobufFieldType.StringList && number == 1)
                    {
                        strings.Add(bytes.ToStringUtf8());
                    }

                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        long Number(int n) => fields.TryGetValue(n, out var value) && value is long l ? l : 0;
        string Text(int n) => fields.TryGetValue(n, out var value) && value is ByteString b ? b.ToStringUtf8() : string.Empty;
        switch (type)
        {
            case ProtobufFieldType.Time or ProtobufFieldType.MicroTime:
                {
                    var seconds = Number(1);
                    var nanos = Number(2);
                    if (data.IsEmpty || (seconds == ZeroTimeSeconds && nanos == 0))
                    {
                        return null;
                    }

                    var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
                    var format = type == ProtobufFieldType.Time ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
                    return JsonValue.Create(time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
                }

            case ProtobufFieldType.IntOrString:
                return Number(1) == 1 ? JsonValue.Create(Text(3)) : JsonValue.Create((int)Number(2));
            case ProtobufFieldType.Quantity:
                return JsonValue.Create(Text(1));
            case ProtobufFieldType.FieldsV1 or ProtobufFieldType.RawExtension:
                {
                    var raw = Text(1);
                    return raw.Length == 0 ? null : JsonNode.Parse(raw);
                }

            case ProtobufFieldType.StringList:
                return strings;
            default:
                throw new ProtobufMappingException($"no protobuf decoding for {type}");
        }
    }

    private static bool IsZero(JsonNode? value) => value switch
    {
        null => true,
        JsonValue scalar when scalar.TryGetValue<string>(out var text) => text.Length == 0,
        JsonValue scalar when scalar.TryGetValue<bool>(out var flag) => !flag,
        JsonValue scalar when scalar.TryGetValue<int>(out var small) => small == 0,
        JsonValue scalar when scalar.TryGetValue<long>(out var large) => large == 0,
        JsonValue scalar when scalar.TryGetValue<double>(out var real) => real == 0,
        JsonValue scalar when scalar.TryGetValue<float>(out var single) => single == 0,
        _ => false,
    };
}
