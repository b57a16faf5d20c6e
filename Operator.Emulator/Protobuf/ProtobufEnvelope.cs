// Kubernetes' protobuf framing (application/vnd.kubernetes.protobuf): the 4 bytes "k8s\0", then a runtime.Unknown
// message {typeMeta (1): {apiVersion (1), kind (2)}, raw (2): the object's own message, contentEncoding (3),
// contentType (4)}. The object's apiVersion and kind travel only in typeMeta.
using System.Text.Json.Nodes;
using Google.Protobuf;
using Operator.Emulator.Api;

namespace Operator.Emulator.Protobuf;

/// <summary>Reads and writes enveloped Kubernetes objects.</summary>
public static class ProtobufEnvelope
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <summary>
    /// The object an enveloped body carries, as JSON with its apiVersion and kind. A kind without a protobuf form in
    /// the emulator is 415, as kube-apiserver answers a body it cannot decode; a malformed body is 400.
    /// </summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the Kubernetes protobuf prefix \"k8s\\x00\"");
        }

        try
        {
            var (apiVersion, kind, raw, encoding) = ReadUnknown(ByteString.CopyFrom(body[Magic.Length..]));
            if (encoding.Length > 0)
            {
                throw new ApiException(415, "UnsupportedMediaType", $"protobuf content encoding \"{encoding}\" is not supported");
            }

            var message = KubernetesMessages.ForKind(apiVersion, kind)
                ?? throw new ApiException(415, "UnsupportedMediaType",
                    $"the body of the request was in an unknown format - the emulator has no protobuf form for {kind} of {apiVersion}; send it as application/json");
            var obj = ProtobufDecoder.Decode(message, raw);
            var typed = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
            foreach (var (name, value) in obj.ToList())
            {
                obj.Remove(name);
                typed[name] = value;
            }

            return typed;
        }
        catch (Exception error) when (error is ProtobufMappingException or InvalidProtocolBufferException)
        {
            throw ApiException.BadRequest($"error decoding protobuf request body: {error.Message}");
        }
    }

    /// <summary>The enveloped protobuf form of an object, or null when the emulator cannot write its kind (or one of its fields) as protobuf.</summary>
    public static byte[]? TryEncode(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = (obj["apiVersion"] as JsonValue)?.GetValue<string>() ?? string.Empty;
        var kind = (obj["kind"] as JsonValue)?.GetValue<string>() ?? string.Empty;
        if (KubernetesMessages.ForKind(apiVersion, kind) is not { } message)
        {
            return null;
        }

        byte[] raw;
        try
        {
            raw = ProtobufEncoder.EncodeObject(message, obj);
        }
        catch (Exception error) when (error is ProtobufMappingException or FormatException or OverflowException or InvalidOperationException)
        {
            return null;
        }

        using var stream = new MemoryStream();
        stream.Write(Magic);
        var output = new CodedOutputStream(stream);
        using (var typeMetaStream = new MemoryStream())
        {
            var typeMeta = new CodedOutputStream(typeMetaStream);
            typeMeta.WriteTag(1, WireFormat.WireType.LengthDelimited);
            typeMeta.WriteString(apiVersion);
            typeMeta.WriteTag(2, WireFormat.WireType.LengthDelimited);
            typeMeta.WriteString(kind);
            typeMeta.Flush();
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(typeMetaStream.ToArray()));
        }

        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(raw));
        output.Flush();
        return stream.ToArray();
    }

    private static (string ApiVersion, string Kind, ByteString Raw, string ContentEncoding) ReadUnknown(ByteString unknown)
    {
        string apiVersion = string.Empty, kind = string.Empty, encoding = string.Empty;
        var raw = ByteString.Empty;
        var input = unknown.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    var typeMeta = input.ReadBytes().CreateCodedInput();
                    uint inner;
                    while ((inner = typeMeta.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(inner))
                        {
                            case 1:
                                apiVersion = typeMeta.ReadString();
                                break;
                            case 2:
                                kind = typeMeta.ReadString();
                                break;
                            default:
                                typeMeta.SkipLastField();
                                break;
                        }
                    }

                    break;
                case 2:
                    raw = input.ReadBytes();
                    break;
                case 3:
                    encoding = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (apiVersion, kind, raw, encoding);
    }
}
