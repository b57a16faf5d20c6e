// Semantic JSON equality: objects equal when they hold the same names with equal values (in any order), arrays
// element by element, numbers by value (1, 1.0 and 1e0 are equal), whatever backs each JsonValue.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema;

internal static class JsonEquality
{
    public static bool Equal(JsonNode? left, JsonNode? right)
    {
        switch (left, right)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (JsonObject a, JsonObject b):
                return a.Count == b.Count && a.All(p => b.TryGetPropertyValue(p.Key, out var other) && Equal(p.Value, other));
            case (JsonArray a, JsonArray b):
                return a.Count == b.Count && a.Select((item, i) => Equal(item, b[i])).All(same => same);
            case (JsonValue a, JsonValue b):
                var kind = a.GetValueKind();
                if (kind != b.GetValueKind())
                {
                    return false;
                }

                return kind switch
                {
                    JsonValueKind.Number => JsonNumber.TryRead(a, out var x) && JsonNumber.TryRead(b, out var y) && x == y,
                    JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
                    _ => true,
                };
            default:
                return false;
        }
    }
}
