// Invariant: a StoredObject never changes after it is created. Json is the complete serialized object
// (metadata.resourceVersion equal to ResourceVersion); readers that want to modify it parse a fresh copy, of the
// whole object or (MetadataCopy) of its metadata alone. Nothing derived from Json is kept besides the few metadata
// fields below: the emulator holds 100,000 and more of these.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Storage;

/// <summary>One committed version of an object.</summary>
public sealed record StoredObject(
    GroupResource Type,
    ObjectKey Key,
    long ResourceVersion,
    string ApiVersion,
    IReadOnlyDictionary<string, string> Labels,
    byte[] Json)
{
    private static readonly System.Text.Json.JsonSerializerOptions SerializerOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>metadata.uid ("" when absent).</summary>
    public string Uid { get; private init; } = string.Empty;

    /// <summary>The uids in metadata.ownerReferences.</summary>
    public IReadOnlyList<string> OwnerUids { get; private init; } = [];

    /// <summary>The uids in metadata.ownerReferences whose reference sets blockOwnerDeletion: these hold a foreground deletion.</summary>
    public IReadOnlyList<string> BlockingOwnerUids { get; private init; } = [];

    /// <summary>metadata.finalizers.</summary>
    public IReadOnlyList<string> Finalizers { get; private init; } = [];

    /// <summary>True once metadata.deletionTimestamp is set.</summary>
    public bool Deleting { get; private init; }

    /// <summary>A mutable copy of the object.</summary>
    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>
    /// A mutable copy of the top-level <c>metadata</c> value, equal to <c>ToJsonObject()["metadata"]</c>; null when
    /// the object has none. Only that value is parsed: the reader steps over every other member (a Secret's data, a
    /// Deployment's spec) without building anything, so a metadata-only response costs what the metadata costs.
    /// </summary>
    public JsonNode? MetadataCopy()
    {
        var reader = new Utf8JsonReader(Json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            // Json is complete, so reading the value and skipping it always succeed.
            if (!reader.Read())
            {
                return null;
            }

            var start = checked((int)reader.TokenStartIndex);
            if (!reader.TrySkip())
            {
                return null;
            }

            if (isMetadata)
            {
                return JsonNode.Parse(Json.AsSpan(start, checked((int)reader.BytesConsumed) - start));
            }
        }

        return null;
    }

    /// <summary>Builds the stored form of <paramref name="obj"/>; the caller has already set its resourceVersion.</summary>
    public static StoredObject From(GroupResource type, ObjectKey key, long resourceVersion, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        return new(type, key, resourceVersion, obj["apiVersion"]?.GetValue<string>() ?? string.Empty, ReadLabels(obj), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj, SerializerOptions))
        {
            Uid = metadata?["uid"]?.GetValue<string>() ?? string.Empty,
            OwnerUids = [.. (metadata?["ownerReferences"] as JsonArray ?? []).Select(UidOf)],
            BlockingOwnerUids = [.. (metadata?["ownerReferences"] as JsonArray ?? [])
                .Where(reference => reference?["blockOwnerDeletion"] is JsonValue flag && flag.TryGetValue<bool>(out var blocks) && blocks)
                .Select(UidOf)],
            Finalizers = [.. (metadata?["finalizers"] as JsonArray ?? []).Select(finalizer => finalizer?.GetValue<string>() ?? string.Empty)],
            Deleting = metadata?["deletionTimestamp"] is not null,
        };
    }

    private static string UidOf(JsonNode? reference) => reference?["uid"]?.GetValue<string>() ?? string.Empty;

    private static Dictionary<string, string> ReadLabels(JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (name, value) in map)
            {
                labels[name] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        return labels;
    }
}
