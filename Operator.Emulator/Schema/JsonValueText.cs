// How kube-apiserver prints values and types in field error messages: strings quoted, numbers and booleans bare,
// objects and arrays as compact JSON, and OpenAPI type names for the "must be of type" messages.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema;

internal static class JsonValueText
{
    public static string Format(JsonNode? value) => value is null ? "null" : value.ToJsonString();

    public static string TypeName(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => JsonNumber.IsInteger(value) ? "integer" : "number",
            _ => "null",
        },
    };
}
