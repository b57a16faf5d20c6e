// The chaos suite's independent oracle: does a live object carry every field of the desired one? It reads
// whole objects through the API, unlike the operator, which compares fingerprints of the fields it applied
// (AppliedFieldsFingerprint), so a bug in one is not hidden by the same bug in the other. Invariants: every field present in the desired object must be present in the live one with an
// equal value; fields only in the live object (defaults, other managers' fields, status) never count;
// lists of scalars and lists of unnamed objects are atomic (same length, same order); lists of named
// objects are maps keyed by name (extra live items, e.g. injected sidecars, are another manager's business).
using System.Text.Json;
using Operator.Primitives;

namespace Operator.IntegrationTests.Chaos;

/// <summary>Compares a desired object with a live one, field by field.</summary>
public static class AppliedFieldsComparer
{
    /// <summary>True when <paramref name="live"/> holds every field of <paramref name="desired"/> with an equal value.</summary>
    public static bool IsSatisfiedBy(JsonNode? desired, JsonNode? live) => FirstDifference(desired, live, "") is null;

    /// <summary>The path of the first desired field the live object lacks or holds differently; null when none.</summary>
    public static string? FirstDifference(JsonNode? desired, JsonNode? live, string path)
    {
        switch (desired)
        {
            case null:
                return null;
            case JsonObject desiredObject:
                if (live is not JsonObject liveObject)
                {
                    return path;
                }

                foreach (var (name, value) in desiredObject)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    if (FirstDifference(value, liveObject[name], $"{path}.{name}") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonArray desiredArray:
                return live is JsonArray liveArray ? CompareArrays(desiredArray, liveArray, path) : path;
            default:
                return ScalarsEqual((JsonValue)desired, live as JsonValue) ? null : path;
        }
    }

    private static string? CompareArrays(JsonArray desired, JsonArray live, string path)
    {
        if (desired.Count > 0 && desired.All(item => item is JsonObject o && o["name"] is JsonValue))
        {
            var liveByName = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var item in live)
            {
                if (item is JsonObject o && o["name"]?.GetValueKind() == JsonValueKind.String)
                {
                    liveByName.TryAdd(o["name"]!.GetValue<string>(), o);
                }
            }

            foreach (var item in desired)
            {
                var name = item!["name"]!.ToJsonString();
                var key = item["name"]!.GetValueKind() == JsonValueKind.String ? item["name"]!.GetValue<string>() : name;
                if (!liveByName.TryGetValue(key, out var match))
                {
                    return $"{path}[name={key}]";
                }

                if (FirstDifference(item, match, $"{path}[name={key}]") is { } difference)
                {
                    return difference;
                }
            }

            return null;
        }

        if (desired.Count != live.Count)
        {
            return path;
        }

        for (var i = 0; i < desired.Count; i++)
        {
            if (FirstDifference(desired[i], live[i], $"{path}[{i}]") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static bool ScalarsEqual(JsonValue desired, JsonValue? live)
    {
        if (live is null)
        {
            return false;
        }

        var desiredKind = desired.GetValueKind();
        var liveKind = live.GetValueKind();
        if (desiredKind == JsonValueKind.Number && liveKind == JsonValueKind.Number)
        {
            return desired.GetValue<decimal>() == live.GetValue<decimal>();
        }

        if (desiredKind != liveKind)
        {
            return false;
        }

        if (desiredKind != JsonValueKind.String)
        {
            return JsonNode.DeepEquals(desired, live);
        }

        var a = desired.GetValue<string>();
        var b = live.GetValue<string>();
        return a == b || QuantitiesEqual(a, b);
    }

    // The API server canonicalizes resource quantities ("1000m" is stored as "1"); compare them by value, read
    // the way the operator reads them (hex digests such as "12e345678" stay text).
    private static bool QuantitiesEqual(string a, string b) =>
        Quantity.TryParse(a, out var x) && Quantity.TryParse(b, out var y) && x == y;
}
