// RFC 6902 JSON patch. Invariants: the target is not modified (operations run on a copy, so a failing operation
// leaves nothing half-applied); a malformed operation is a 400 PatchException, an operation that cannot apply to
// the document (missing path, index out of bounds, failed test, unknown op) a 422. The texts of the 422s are those
// of the JSON patch library kube-apiserver uses (evanphx/json-patch v4): "testing value /x failed: test failed",
// "remove operation does not apply: doc is missing path: \"/x/y\": missing value", and so on.
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

    private const string Missing = ": missing value";

    private const string InvalidIndex = ": invalid index referenced";

    private static JsonNode? ApplyOperation(JsonNode? document, JsonObject operation)
    {
        var op = RequiredText(operation, "op");
        var path = JsonPointer.Parse(RequiredText(operation, "path"));
        switch (op)
        {
            case "add":
                return Add(document, path, RequiredValue(operation, op), $"add operation does not apply: doc is missing path: \"{path}\"{Missing}", "add");
            case "remove":
                return Remove(document, path, out _, $"remove operation does not apply: doc is missing path: \"{path}\"{Missing}", $"error in remove for path: '{path}'");
            case "replace":
                var replaced = Parent(document, path) ?? throw new PatchException($"replace operation does not apply: doc is missing path: {path}{Missing}");
                if (!path.IsRoot && !Has(replaced, path.Last, path))
                {
                    throw new PatchException($"replace operation does not apply: doc is missing key: {path}{Missing}");
                }

                return Add(Remove(document, path, out _, string.Empty, string.Empty), path, RequiredValue(operation, op), string.Empty, "replace");
            case "move":
                var from = JsonPointer.Parse(RequiredText(operation, "from"));
                if (path.IsWithin(from) && path.Tokens.Count > from.Tokens.Count)
                {
                    throw new PatchException($"json patch cannot move \"{from}\" into its own child \"{path}\"");
                }

                var withoutSource = Remove(document, from, out var moved, $"move operation does not apply: doc is missing from path: {from}{Missing}", $"error in move for path: '{(from.IsRoot ? string.Empty : from.Last)}'");
                return Add(withoutSource, path, moved, $"move operation does not apply: doc is missing destination path: {path}{Missing}", "move");
            case "copy":
                var source = JsonPointer.Parse(RequiredText(operation, "from"));
                var copied = Get(document, source, $"copy operation does not apply: doc is missing from path: {source}{Missing}");
                return Add(document, path, copied?.DeepClone(), $"copy operation does not apply: doc is missing destination path: {path}{Missing}", "copy");
            case "test":
                var expected = RequiredValue(operation, op);
                var parent = Parent(document, path) ?? throw new PatchException($"test operation does not apply: is missing path: {path}{Missing}");
                var actual = path.IsRoot || Has(parent, path.Last, path) ? Get(document, path, string.Empty) : null;
                if (!JsonEquality.Equal(actual, expected))
                {
                    throw new PatchException($"testing value {path} failed: test failed");
                }

                return document;
            default:
                throw new PatchException($"Unexpected kind: {op}");
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

    /// <summary>The container <paramref name="path"/> names a member of (the document itself for the root); null when missing.</summary>
    private static JsonNode? Parent(JsonNode? document, JsonPointer path) =>
        path.IsRoot ? document ?? new JsonObject() : TryGet(document, path.Parent, out var parent) && parent is JsonObject or JsonArray ? parent : null;

    private static bool Has(JsonNode? container, string token, JsonPointer path) => container switch
    {
        JsonObject obj => obj.ContainsKey(token),
        JsonArray array => JsonPointer.TryIndex(token, array.Count - 1, out _),
        _ => false,
    };

    private static bool TryGet(JsonNode? document, JsonPointer path, out JsonNode? value)
    {
        value = document;
        foreach (var token in path.Tokens)
        {
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    value = child;
                    break;
                case JsonArray array when JsonPointer.TryIndex(token, array.Count - 1, out var index):
                    value = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    private static JsonNode? Get(JsonNode? document, JsonPointer path, string missing) =>
        TryGet(document, path, out var value) ? value : throw new PatchException(missing);

    private static JsonNode? Add(JsonNode? document, JsonPointer path, JsonNode? value, string missing, string op)
    {
        if (path.IsRoot)
        {
            return value;
        }

        switch (Parent(document, path))
        {
            case JsonObject obj:
                obj[path.Last] = value;
                break;
            case JsonArray array when path.Last == "-":
                array.Add(value);
                break;
            case JsonArray array when JsonPointer.TryIndex(path.Last, array.Count, out var index):
                array.Insert(index, value);
                break;
            case JsonArray:
                throw new PatchException($"error in {op} for path: '{path}': Unable to access invalid index: {path.Last}{InvalidIndex}");
            default:
                throw new PatchException(missing);
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, JsonPointer path, out JsonNode? removed, string missing, string context)
    {
        if (path.IsRoot)
        {
            removed = document;
            return null;
        }

        switch (Parent(document, path))
        {
            case JsonObject obj when obj.TryGetPropertyValue(path.Last, out var child):
                removed = child;
                obj.Remove(path.Last);
                break;
            case JsonObject:
                throw new PatchException($"{context}: Unable to remove nonexistent key: {path.Last}{Missing}");
            case JsonArray array when JsonPointer.TryIndex(path.Last, array.Count - 1, out var index):
                removed = array[index];
                array.RemoveAt(index);
                break;
            case JsonArray:
                throw new PatchException($"{context}: Unable to access invalid index: {path.Last}{InvalidIndex}");
            default:
                throw new PatchException(missing);
        }

        return document;
    }
}
