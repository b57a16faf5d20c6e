// JSON values as the Cel package's evaluator sees them: objects as string-keyed dictionaries, arrays as lists,
// integers as long, other numbers as double (and integers where the schema says number, as Kubernetes types them).
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema.Cel;

internal static class CelValues
{
    public static object? From(JsonNode? node, TypeSchema schema) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(pair => pair.Key, pair => From(pair.Value, schema.ChildSchema(pair.Key)), StringComparer.Ordinal),
        JsonArray array => array.Select(item => From(item, schema.ItemSchema)).ToList(),
        JsonValue value => Scalar(value, schema),
        _ => null,
    };

    private static object? Scalar(JsonValue value, TypeSchema schema)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.Number when schema.Type != "number" && JsonNumber.TryRead(value, out var number) && number == decimal.Truncate(number) && number >= long.MinValue && number <= long.MaxValue:
                return (long)number;
            case JsonValueKind.Number when JsonNumber.TryRead(value, out var real):
                return (double)real;
            default:
                return null;
        }
    }
}
