using System.Text.Json.Nodes;

namespace Operator.Emulator.Tables;

/// <summary>Computes one cell from an object; null prints as "&lt;none&gt;".</summary>
public delegate JsonNode? CellValue(JsonObject obj);

/// <summary>
/// One column of a Table response. <see cref="Type"/> is an OpenAPI type ("string", "integer", "date", ...);
/// "date" cells are rendered as an age (e.g. "5m"), like kube-apiserver does for CRD date columns.
/// </summary>
public sealed record PrinterColumn(string Name, string Type, string Description, int Priority, CellValue Value, string Format = "")
{
    public static PrinterColumn FromJsonPath(string name, string type, string jsonPath, int priority = 0, string description = "", string format = "")
    {
        var path = JsonPathExpression.Parse(jsonPath);
        return new PrinterColumn(name, type, description, priority, path.EvaluateCell, format);
    }

    public static PrinterColumn Age { get; } = FromJsonPath("Age", "date", ".metadata.creationTimestamp",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created.");
}
