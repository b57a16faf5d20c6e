// The Kubernetes messages the emulator can read and write as protobuf, parsed once from the generated table
// (KubernetesMessages.Table.cs). Invariant: every message a field refers to is in the table, and every kind listed in
// TopLevel names a message with a `metadata` field; a {Kind}List of such a kind is the ListMeta + repeated items
// message every Kubernetes list is.
namespace Operator.Emulator.Protobuf;

/// <summary>The message registry: which apiVersion/kind pairs have a protobuf form, and each message's fields.</summary>
internal static partial class KubernetesMessages
{
    /// <summary>Kinds a protobuf body may carry, by apiVersion, and the message package each apiVersion's kinds are in.</summary>
    private static readonly Dictionary<string, (string Package, string[] Kinds)> TopLevel = new(StringComparer.Ordinal)
    {
        ["v1"] = ("core", ["Namespace", "Secret", "ConfigMap", "Service", "ServiceAccount", "Pod", "Endpoints", "Event"]),
        ["apps/v1"] = ("apps", ["Deployment", "ReplicaSet", "ControllerRevision"]),
        ["batch/v1"] = ("batch", ["Job"]),
        ["discovery.k8s.io/v1"] = ("discovery", ["EndpointSlice"]),
        ["authorization.k8s.io/v1"] = ("authorization", ["SelfSubjectAccessReview", "SubjectAccessReview"]),
    };

    /// <summary>meta.k8s.io kinds that are sent under any group's version (a Status answers every request).</summary>
    private static readonly string[] MetaKinds = ["Status", "DeleteOptions"];

    private static readonly Lazy<IReadOnlyDictionary<string, ProtobufMessage>> Messages = new(Parse);

    public static ProtobufMessage Message(string name) =>
        Messages.Value.TryGetValue(name, out var message) ? message : throw new InvalidOperationException($"protobuf message {name} is not in the table");

    /// <summary>The message of an object of this apiVersion and kind, or null when the emulator has no protobuf form for it.</summary>
    public static ProtobufMessage? ForKind(string apiVersion, string kind)
    {
        if (MetaKinds.Contains(kind, StringComparer.Ordinal))
        {
            return Message("meta." + kind);
        }

        if (!TopLevel.TryGetValue(apiVersion, out var served))
        {
            return null;
        }

        if (served.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            return Message($"{served.Package}.{kind}");
        }

        return kind.EndsWith("List", StringComparison.Ordinal) && served.Kinds.Contains(kind[..^"List".Length], StringComparer.Ordinal)
            ? ListOf($"{served.Package}.{kind[..^"List".Length]}")
            : null;
    }

    private static ProtobufMessage ListOf(string itemMessage) => new(itemMessage + "List",
    [
        new ProtobufField("metadata", 1, ProtobufFieldType.Message, "meta.ListMeta", Repeated: false, Map: false, Inline: false, KeepZero: false),
        new ProtobufField("items", 2, ProtobufFieldType.Message, itemMessage, Repeated: true, Map: false, Inline: false, KeepZero: true),
    ]);

    private static IReadOnlyDictionary<string, ProtobufMessage> Parse()
    {
        var messages = new Dictionary<string, ProtobufMessage>(StringComparer.Ordinal);
        foreach (var (name, fields) in Table)
        {
            messages[name] = new ProtobufMessage(name, [.. fields.Select(ParseField)]);
        }

        return messages;
    }

    /// <summary>Parses "jsonName number type[[]] [inline|keep]", the type being a scalar, a special type, a message or map&lt;type&gt;.</summary>
    private static ProtobufField ParseField(string spec)
    {
        var parts = spec.Split(' ');
        var type = parts[2];
        var map = type.StartsWith("map<", StringComparison.Ordinal);
        if (map)
        {
            type = type[4..^1];
        }

        var repeated = type.EndsWith("[]", StringComparison.Ordinal);
        if (repeated)
        {
            type = type[..^2];
        }

        var (fieldType, messageName) = type switch
        {
            "string" => (ProtobufFieldType.String, null),
            "bytes" => (ProtobufFieldType.Bytes, null),
            "bool" => (ProtobufFieldType.Bool, null),
            "int32" => (ProtobufFieldType.Int32, null),
            "int64" => (ProtobufFieldType.Int64, null),
            "double" => (ProtobufFieldType.Double, null),
            "float" => (ProtobufFieldType.Float, null),
            _ when type.Contains('.', StringComparison.Ordinal) => (ProtobufFieldType.Message, type),
            _ => (Enum.Parse<ProtobufFieldType>(type), (string?)null),
        };
        var flags = parts.Skip(3).ToHashSet(StringComparer.Ordinal);
        return new ProtobufField(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), fieldType, messageName,
            repeated, map, flags.Contains("inline"), flags.Contains("keep"));
    }
}
