// Reads JSON numbers whatever backs the JsonValue (parsed text or a CLR primitive), by their JSON text, so
// 5, 5.0 and 5e0 read the same. Values beyond decimal's range fall back to double precision.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema;

internal static class JsonNumber
{
    public static bool TryRead(JsonNode? node, out decimal number)
    {
        number = 0;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        var text = value.ToJsonString();
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return true;
        }

        var approximate = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        number = approximate >= 0 ? decimal.MaxValue : decimal.MinValue;
        return true;
    }

    /// <summary>Whether the node is a number with no fractional part (JSON has no separate integer type).</summary>
    public static bool IsInteger(JsonNode? node) => TryRead(node, out var number) && decimal.Truncate(number) == number;
}
