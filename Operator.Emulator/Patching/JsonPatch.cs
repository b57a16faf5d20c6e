// RFC 6902 JSON patch. Invariants: the target is not modified (operations run on a copy, so a failing operation
// leaves nothing half-applied); a malformed operation is a 400 PatchException, an operation that cannot apply to
// the document (missing path, index out of bounds, failed test) a 422.
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

public static partial class JsonPatch
{
    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        var document = target?.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation)
            {
                throw new PatchException($"json patch operation {i} is not an object", 400);
            }

            document = ApplyOperation(document, operation);
        }

        return document;
    }

    private static JsonNode? ApplyOperation(JsonNode? document, JsonObject operation)
    {
        var op = RequiredText(operation, "op");
        var path = JsonPointer.Parse(RequiredText(operation, "path"));
        switch (op)
        {
            case "add":
                return Add(document, path, RequiredValue(operation, op));
            case "remove":
                return Remove(document, path, out _);
            case "replace":
                _ = Get(document, path);
                return Add(Remove(document, path, out _), path, RequiredValue(operation, op));
            case "move":
                var from = JsonPointer.Parse(RequiredText(operation, "from"));
                if (path.IsWithin(from) && path.Tokens.Count > from.Tokens.Count)
                {
                    throw new PatchException($"json patch cannot move \"{from}\" into its own child \"{path}\"");
                }

                var withoutSource = Remove(document, from, out var moved);
                return Add(withoutSource, path, moved);
            case "copy":
                var source = JsonPointer.Parse(RequiredText(operation, "from"));
                return Add(document, path, Get(document, source)?.DeepClone());
            case "test":
                var expected = RequiredValue(operation, op);
                if (!JsonEquality.Equal(Get(document, path), expected))
                {
                    throw new PatchException($"json patch test failed: the value at \"{path}\" is not {JsonValueText.Format(expected)}");
                }

                return document;
            default:
                throw new PatchException($"json patch operation \"{op}\" is not supported", 400);
        }
    }

    private static string RequiredText(JsonObject operation, string name) =>
        operation[name] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new PatchException($"json patch operation is missing \"{name}\"", 400);

    private static JsonNode? RequiredValue(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new PatchException($"json patch \"{op}\" operation is missing \"value\"", 400);

    private static JsonNode? Get(JsonNode? document, JsonPointer path)
    {
        var current = document;
        foreach (var token in path.Tokens)
        {
            current = current switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array => array[JsonPointer.ArrayIndex(token, array.Count - 1, path.ToString())],
                _ => throw new PatchException($"json patch path \"{path}\" does not exist"),
            };
        }

        return current;
    }

    private static JsonNode? Add(JsonNode? document, JsonPointer path, JsonNode? value)
    {
        if (path.IsRoot)
        {
            return value;
        }

        switch (Get(document, path.Parent))
        {
            case JsonObject obj:
                obj[path.Last] = value;
                break;
            case JsonArray array when path.Last == "-":
                array.Add(value);
                break;
            case JsonArray array:
                array.Insert(JsonPointer.ArrayIndex(path.Last, array.Count, path.ToString()), value);
                break;
            default:
                throw new PatchException($"json patch path \"{path}\": the parent is not an object or array");
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, JsonPointer path, out JsonNode? removed)
    {
        if (path.IsRoot)
        {
            removed = document;
            return null;
        }

        switch (Get(document, path.Parent))
        {
            case JsonObject obj when obj.TryGetPropertyValue(path.Last, out var child):
                removed = child;
                obj.Remove(path.Last);
                break;
            case JsonArray array:
                var index = JsonPointer.ArrayIndex(path.Last, array.Count - 1, path.ToString());
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw new PatchException($"json patch path \"{path}\" does not exist");
        }

        return document;
    }
}
