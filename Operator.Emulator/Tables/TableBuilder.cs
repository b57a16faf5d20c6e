// Builds meta.k8s.io/v1 Table responses (what kubectl get asks for). Invariant: every row has one cell per column
// definition, in order; "date" cells are ages relative to the response time.
using System.Globalization;
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Tables;

/// <summary>Renders objects of one resource as a Table.</summary>
public static class TableBuilder
{
    /// <summary>includeObject: "None", "Object", or (default) "Metadata" for PartialObjectMetadata.</summary>
    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, long? remainingItemCount, string? includeObject, DateTimeOffset now)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        if (remainingItemCount is not null)
        {
            metadata["remainingItemCount"] = remainingItemCount;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = new JsonArray([.. type.Columns.Select(column => new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type == "date" ? "string" : column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            })]),
            ["rows"] = new JsonArray([.. objects.Select(obj => Row(type, obj, includeObject, now))]),
        };
    }

    private static JsonObject Row(ResourceType type, JsonObject obj, string? includeObject, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = new JsonArray([.. type.Columns.Select(column => Cell(column, obj, now))]) };
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                row["object"] = obj.DeepClone();
                break;
            default:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
                break;
        }

        return row;
    }

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        var value = column.Value(obj);
        if (value is null)
        {
            return column.Type == "date" ? JsonValue.Create("<unknown>") : null;
        }

        if (column.Type == "date" && value is JsonValue text && text.TryGetValue<string>(out var timestamp)
            && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return JsonValue.Create(HumanDuration.Format(now - time));
        }

        return value;
    }
}
