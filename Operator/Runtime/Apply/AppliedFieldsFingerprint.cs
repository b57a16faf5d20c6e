// A fingerprint of the fields one field manager applied, as they are now. Server-side apply records in
// managedFields exactly which fields each manager owns; a field another writer changes or takes over leaves the
// manager's set, and a field the manager stopped applying is removed on its next apply. So the live object,
// cut down to the manager's set, equals the manager's last applied configuration exactly while nobody has
// touched it, and differs from it as soon as anybody has. Hashing both sides in one canonical form
// (CanonicalJson) lets a cache keep 16 bytes instead of the whole object and still detect drift.
// Invariants: identity fields (apiVersion, kind, metadata.name, metadata.namespace) are left out of both
// sides, because managedFields never lists them; an object without an Apply entry of the manager has no
// fingerprint (it was never applied by it, so it never matches). An informer keeps a cached object's fingerprint
// beside it (Fingerprinted<T>), not in it.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Runtime.Apply;

/// <summary>Computes applied-fields fingerprints of live and desired objects.</summary>
public static class AppliedFieldsFingerprint
{
    /// <summary>The fingerprint of the fields <paramref name="fieldManager"/> applied to <paramref name="live"/>; null when it applied none.</summary>
    public static FieldsFingerprint? OfLive(JsonElement live, string fieldManager)
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldManager);
        if (!live.TryGetProperty("metadata", out var metadata)
            || !metadata.TryGetProperty("managedFields", out var managedFields)
            || managedFields.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var entry in managedFields.EnumerateArray())
        {
            if (Text(entry, "manager") == fieldManager
                && Text(entry, "operation") == "Apply"
                && string.IsNullOrEmpty(Text(entry, "subresource"))
                && entry.TryGetProperty("fieldsV1", out var fields)
                && fields.ValueKind == JsonValueKind.Object)
            {
                return Hash(live, fields);
            }
        }

        return null;
    }

    /// <summary>The fingerprint <paramref name="desired"/> will have once applied and while nobody changes it.</summary>
    public static FieldsFingerprint OfDesired(JsonObject desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var body = (JsonObject)desired.DeepClone();
        body.Remove("apiVersion");
        body.Remove("kind");
        body.Remove("status");
        if (body["metadata"] is JsonObject metadata)
        {
            metadata.Remove("name");
            metadata.Remove("namespace");
            if (metadata.Count == 0)
            {
                body.Remove("metadata");
            }
        }

        using var document = JsonDocument.Parse(body.ToJsonString());
        return Hash(document.RootElement, null);
    }

    private static FieldsFingerprint Hash(JsonElement value, JsonElement? fieldSet)
    {
        Span<byte> hash = stackalloc byte[32];
        CanonicalJson.Sha256(value, fieldSet, hash);
        return FieldsFingerprint.From(hash);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
