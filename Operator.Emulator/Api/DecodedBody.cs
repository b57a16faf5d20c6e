// Parses a JSON request body the way kube-apiserver's decoders read it: a key repeated in one object keeps its last
// value, and each repetition is reported as its strict decoder words it (duplicate field "spec.replicas", list items
// as containers[0]). Whether a repetition refuses the write, warns or passes is the caller's fieldValidation.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Api;

/// <summary>A decoded request body and the duplicate keys its text has.</summary>
public sealed record DecodedBody(JsonNode? Node, DuplicateKeys Duplicates)
{
    public static DecodedBody Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        var errors = new List<string>();
        var node = Convert(document.RootElement, string.Empty, errors);
        return new DecodedBody(node, new DuplicateKeys(errors, errors));
    }

    private static JsonNode? Convert(JsonElement element, string path, List<string> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (obj.ContainsKey(property.Name))
                    {
                        errors.Add($"duplicate field \"{childPath}\"");
                    }

                    obj[property.Name] = Convert(property.Value, childPath, errors);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Convert(item, $"{path}[{index++}]", errors));
                }

                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonNode.Parse(element.GetRawText());
        }
    }
}
