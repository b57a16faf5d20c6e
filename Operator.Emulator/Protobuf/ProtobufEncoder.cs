// A Kubernetes object's JSON -> its protobuf wire bytes, by the field table. Fields absent or null in the JSON are not
// written. A JSON field the table does not know, or a value of the wrong shape, raises ProtobufMappingException: the
// caller answers in JSON instead, so no data is ever dropped from a protobuf answer.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Operator.Emulator.Protobuf;

/// <summary>Encodes a JSON object as a Kubernetes protobuf message.</summary>
internal static class ProtobufEncoder
{
    private static readonly string[] TypeMetaFields = ["apiVersion", "kind"];

    /// <summary>Encodes a top-level object: its apiVersion and kind travel in the envelope, not in the message.</summary>
    public static byte[] EncodeObject(ProtobufMessage message, JsonObject obj) => Encode(message, obj, TypeMetaFields);

    private static byte[] Encode(ProtobufMessage message, JsonObject obj, IReadOnlyCollection<string> ignored)
    {
        foreach (var (name, _) in obj)
        {
            if (!ignored.Contains(name) && !Knows(message, name))
            {
                throw new ProtobufMappingException($"{message.Name} has no protobuf field for JSON field \"{name}\"");
            }
        }

        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var field in message.Fields)
        {
            if (field.Inline)
            {
                WriteBytes(output, field.Number, Encode(Message(field), obj, [.. obj.Select(pair => pair.Key).Where(name => !Knows(Message(field), name))]));
                continue;
            }

            var value = obj[field.JsonName];
            if (value is null)
            {
                continue;
            }

            if (field.Map)
            {
                foreach (var (key, entry) in Expect<JsonObject>(value, field))
                {
                    using var entryStream = new MemoryStream();
                    var entryOutput = new CodedOutputStream(entryStream);
                    entryOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    entryOutput.WriteString(key);
                    if (entry is not null)
                    {
                        WriteValue(entryOutput, 2, field, entry);
                    }

                    entryOutput.Flush();
                    WriteBytes(output, field.Number, entryStream.ToArray());
                }
            }
            else if (field.Repeated)
            {
                foreach (var item in Expect<JsonArray>(value, field))
                {
                    WriteValue(output, field.Number, field, item ?? throw new ProtobufMappingException($"{message.Name}.{field.JsonName} has a null item"));
                }
            }
            else
            {
                WriteValue(output, field.Number, field, value);
            }
        }

        output.Flush();
        return stream.ToArray();
    }

    /// <summary>Whether a JSON field belongs to the message itself or to one of its inline (embedded) messages.</summary>
    private static bool Knows(ProtobufMessage message, string jsonName) =>
        message.ByJsonName.ContainsKey(jsonName) || message.Fields.Any(field => field.Inline && Knows(Message(field), jsonName));

    private static ProtobufMessage Message(ProtobufField field) => KubernetesMessages.Message(field.MessageName!);

    private static T Expect<T>(JsonNode value, ProtobufField field)
        where T : JsonNode =>
        value as T ?? throw new ProtobufMappingException($"\"{field.JsonName}\" is not a JSON {(typeof(T) == typeof(JsonArray) ? "array" : "object")}");

    private static void WriteBytes(CodedOutputStream output, int number, byte[] bytes)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(bytes));
    }

    private static void WriteValue(CodedOutputStream output, int number, ProtobufField field, JsonNode value)
    {
        switch (field.Type)
        {
            case ProtobufFieldType.String:
                output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                output.WriteString(Text(value, field));
                break;
            case ProtobufFieldType.Bytes:
                WriteBytes(output, number, Convert.FromBase64String(Text(value, field)));
                break;
            case ProtobufFieldType.Bool:
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteBool(value.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new ProtobufMappingException($"\"{field.JsonName}\" is not a boolean"),
                });
                break;
            case ProtobufFieldType.Int32:
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteInt32(checked((int)Integer(value, field)));
                break;
            case ProtobufFieldType.Int64:
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteInt64(Integer(value, field));
                break;
            case ProtobufFieldType.Double:
                output.WriteTag(number, WireFormat.WireType.Fixed64);
                output.WriteDouble(Real(value, field));
                break;
            case ProtobufFieldType.Float:
                output.WriteTag(number, WireFormat.WireType.Fixed32);
                output.WriteFloat((float)Real(value, field));
                break;
            case ProtobufFieldType.Message:
                WriteBytes(output, number, Encode(Message(field), Expect<JsonObject>(value, field), []));
                break;
            default:
                WriteBytes(output, number, EncodeSpecial(field, value));
                break;
        }
    }

    private static byte[] EncodeSpecial(ProtobufField field, JsonNode value)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        switch (field.Type)
        {
            case ProtobufFieldType.Time or ProtobufFieldType.MicroTime:
                {
                    if (!DateTimeOffset.TryParse(Text(value, field), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    {
                        throw new ProtobufMappingException($"\"{field.JsonName}\" is not an RFC 3339 time");
                    }

                    var seconds = time.ToUnixTimeSeconds();
                    var nanos = (int)((time.UtcTicks - DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks) * 100);
                    output.WriteTag(1, WireFormat.WireType.Varint);
                    output.WriteInt64(seconds);
                    output.WriteTag(2, WireFormat.WireType.Varint);
                    output.WriteInt32(nanos);
                    break;
                }

            case ProtobufFieldType.IntOrString when value.GetValueKind() == JsonValueKind.Number:
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(0);
                output.WriteTag(2, WireFormat.WireType.Varint);
                output.WriteInt32(checked((int)Integer(value, field)));
                break;
            case ProtobufFieldType.IntOrString:
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(1);
                output.WriteTag(3, WireFormat.WireType.LengthDelimited);
                output.WriteString(Text(value, field));
                break;
            case ProtobufFieldType.Quantity:
                // A quantity written as a JSON number (`cpu: 1`) is the same quantity as its text.
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteString(value.GetValueKind() == JsonValueKind.Number ? value.ToJsonString() : Text(value, field));
                break;
            case ProtobufFieldType.FieldsV1 or ProtobufFieldType.RawExtension:
                output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(Encoding.UTF8.GetBytes(value.ToJsonString())));
                break;
            case ProtobufFieldType.StringList:
                foreach (var item in Expect<JsonArray>(value, field))
                {
                    output.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    output.WriteString(item is null ? string.Empty : Text(item, field));
                }

                break;
            default:
                throw new ProtobufMappingException($"no protobuf encoding for {field.Type}");
        }

        output.Flush();
        return stream.ToArray();
    }

    private static string Text(JsonNode value, ProtobufField field) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw new ProtobufMappingException($"\"{field.JsonName}\" is not a string");

    private static long Integer(JsonNode value, ProtobufField field) =>
        value.GetValueKind() == JsonValueKind.Number && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ProtobufMappingException($"\"{field.JsonName}\" is not an integer");

    private static double Real(JsonNode value, ProtobufField field) =>
        value.GetValueKind() == JsonValueKind.Number ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : throw new ProtobufMappingException($"\"{field.JsonName}\" is not a number");
}
