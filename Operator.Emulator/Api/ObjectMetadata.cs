// Typed access to the metadata fields the API server itself maintains. Every accessor tolerates a missing
// metadata object; setters create it.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Api;

/// <summary>Reads and writes well-known metadata fields of a JSON object.</summary>
public static class ObjectMetadata
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? Text(JsonObject obj, string field) =>
        obj["metadata"]?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string? Name(JsonObject obj) => Text(obj, "name");

    public static string? Namespace(JsonObject obj) => Text(obj, "namespace");

    public static string? Uid(JsonObject obj) => Text(obj, "uid");

    public static string? ResourceVersion(JsonObject obj) => Text(obj, "resourceVersion");

    public static string? DeletionTimestamp(JsonObject obj) => Text(obj, "deletionTimestamp");

    public static long Generation(JsonObject obj) =>
        obj["metadata"]?["generation"] is JsonValue value && value.TryGetValue<long>(out var generation) ? generation : 0;

    public static List<string> Finalizers(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray ?? []).Select(item => item?.GetValue<string>() ?? string.Empty).ToList();

    public static void SetFinalizers(JsonObject obj, IReadOnlyCollection<string> finalizers)
    {
        if (finalizers.Count == 0)
        {
            Of(obj).Remove("finalizers");
        }
        else
        {
            Of(obj)["finalizers"] = new JsonArray([.. finalizers.Select(finalizer => JsonValue.Create(finalizer))]);
        }
    }

    /// <summary>The uids of the object's owners.</summary>
    public static List<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).Select(reference => reference?["uid"]?.GetValue<string>() ?? string.Empty).ToList();

    /// <summary>Formats a time as Kubernetes does in metadata (RFC 3339, seconds, UTC).</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
