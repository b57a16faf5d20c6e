// Reads and writes metadata.managedFields.
// Invariants: written entries are sorted as kube-apiserver sorts them (operation, then time, manager, apiVersion,
// subresource), carry fieldsType FieldsV1, omit an empty subresource, and entries with no fields are not written.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Patching;

internal static class ManagedFieldsCodec
{
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The entries of <paramref name="obj"/>; null when the object has no managedFields at all.</summary>
    public static List<ManagedFieldsEntry>? Read(JsonObject? obj)
    {
        if (obj?["metadata"] is not JsonObject metadata || metadata["managedFields"] is not JsonArray entries)
        {
            return null;
        }

        var result = new List<ManagedFieldsEntry>();
        foreach (var node in entries)
        {
            if (node is not JsonObject entry || Text(entry, "manager") is not { } manager)
            {
                continue;
            }

            var fields = entry["fieldsV1"] is JsonObject encoded ? FieldsV1.Decode(encoded) : new FieldSet();
            result.Add(new ManagedFieldsEntry(
                manager,
                Text(entry, "operation") ?? ManagedFieldsEntry.UpdateOperation,
                Text(entry, "apiVersion"),
                Text(entry, "time"),
                fields,
                Text(entry, "subresource") ?? ""));
        }

        return result;
    }

    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var sorted = entries
            .Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion ?? "", StringComparer.Ordinal)
            .ThenBy(e => e.Subresource, StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var entry in sorted)
        {
            var encoded = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldsV1.Encode(entry.Fields),
            };
            if (entry.Subresource.Length > 0)
            {
                encoded["subresource"] = entry.Subresource;
            }

            array.Add(encoded);
        }

        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }

        if (array.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = array;
        }
    }

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
