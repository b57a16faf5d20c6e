// Kubernetes strategic merge patch, driven by the type's schema: map lists merge by their patch merge key, sets
// (primitive lists with the merge strategy) take the union, other lists are replaced; objects merge field by field.
// Directives: $patch (merge, replace, delete; on objects and on map-list items, and {"$patch":"replace"} as a list
// item to replace the whole list), $retainKeys, $deleteFromPrimitiveList/<field>, $setElementOrder/<field>.
// Invariants: the target is not modified; no directive survives into the result; a null value deletes its field.
// Ordering under $setElementOrder: the listed items come first, in the listed order, followed by items the patch
// does not list, in their existing order (kube-apiserver interleaves the latter; both keep every item). Without
// it, merged map lists and sets are ordered as kube-apiserver orders them (StrategicListOrder).
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

public static partial class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    public static JsonNode Apply(JsonNode target, JsonNode patch, TypeSchema schema)
    {
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException("a strategic merge patch must be a JSON object", 400);
        }

        var start = target as JsonObject;
        return MergeObject((JsonObject?)start?.DeepClone(), patchObject, schema) ?? new JsonObject();
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> (owned, may be mutated); null means "delete this object".</summary>
    private static JsonObject? MergeObject(JsonObject? target, JsonObject patch, TypeSchema schema)
    {
        switch (Directive(patch))
        {
            case "delete":
                return null;
            case "replace":
                target = null;
                break;
        }

        var result = target ?? new JsonObject();
        var orders = new List<(string Field, JsonArray Order)>();
        var deletions = new List<(string Field, JsonArray Values)>();
        foreach (var (name, value) in patch)
        {
            if (name.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                orders.Add((name[SetElementOrderPrefix.Length..], value as JsonArray ?? throw Malformed(name)));
            }
            else if (name.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                deletions.Add((name[DeleteFromPrimitiveListPrefix.Length..], value as JsonArray ?? throw Malformed(name)));
            }
            else if (name is PatchDirective or RetainKeysDirective)
            {
                continue;
            }
            else if (name.StartsWith('$'))
            {
                throw new PatchException($"strategic merge patch directive \"{name}\" is not supported", 400);
            }
            else if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                var existing = result[name];
                result.Remove(name);
                var merged = MergeValue(existing, value, schema.ChildSchema(name));
                if (!ReferenceEquals(merged, Deleted))
                {
                    result[name] = merged;
                }
            }
        }

        foreach (var (field, values) in deletions)
        {
            if (result[field] is JsonArray list)
            {
                RemoveWhere(list, item => values.Any(v => JsonEquality.Equal(v, item)));
            }
        }

        foreach (var (field, order) in orders)
        {
            if (result[field] is JsonArray list)
            {
                Reorder(list, order, schema.ChildSchema(field));
            }
        }

        if (patch[RetainKeysDirective] is JsonArray retained)
        {
            var keep = retained
                .Select(k => k is JsonValue v && v.TryGetValue<string>(out var name) ? name : throw Malformed(RetainKeysDirective))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var name in result.Select(p => p.Key).Where(n => !keep.Contains(n)).ToList())
            {
                result.Remove(name);
            }
        }

        return result;
    }

    /// <summary>Marks a value the patch deletes (an object or list item carrying $patch: delete).</summary>
    private static readonly JsonObject Deleted = [];

    private static JsonNode? MergeValue(JsonNode? existing, JsonNode patch, TypeSchema schema) => patch switch
    {
        JsonObject patchObject => (JsonNode?)MergeObject(existing as JsonObject, patchObject, schema) ?? Deleted,
        JsonArray patchList => MergeList(existing as JsonArray, patchList, schema),
        _ => patch.DeepClone(),
    };

    private static JsonArray MergeList(JsonArray? existing, JsonArray patch, TypeSchema schema)
    {
        var items = patch.ToList();
        var replaceWhole = items.RemoveAll(i => i is JsonObject { Count: 1 } o && Directive(o) == "replace") > 0;
        var result = replaceWhole || existing is null ? [] : existing;
        switch (schema.ListType)
        {
            case ListType.Map when schema.PatchMergeKey is { } key:
                {
                    string Identity(JsonNode? item) => Canonical(item is JsonObject o ? o[key] : null);
                    var original = result.Select(Identity).ToList();
                    MergeMapList(result, items, key, schema.ItemSchema);
                    var named = items.Where(i => i is JsonObject o && Directive(o) != "delete").Select(Identity).ToList();
                    StrategicListOrder.Normalize(result, original, named, Identity);
                    return result;
                }

            case ListType.Set:
                {
                    var original = result.Select(Canonical).ToList();
                    foreach (var item in items.Where(i => !result.Any(r => JsonEquality.Equal(r, i))))
                    {
                        result.Add(item?.DeepClone());
                    }

                    StrategicListOrder.Normalize(result, original, [.. items.Select(Canonical)], Canonical);
                    return result;
                }
            default:
                return [.. items.Select(i => i is null ? null : MergeValue(null, i, schema.ItemSchema))];
        }
    }

    private static void MergeMapList(JsonArray result, List<JsonNode?> items, string key, TypeSchema itemSchema)
    {
        foreach (var node in items)
        {
            if (node is not JsonObject item)
            {
                throw new PatchException($"strategic merge patch: items of a list merged by \"{key}\" must be objects", 400);
            }

            if (!item.TryGetPropertyValue(key, out var keyValue))
            {
                throw new PatchException($"map: {item.ToJsonString()} does not contain declared merge key: {key}");
            }

            var index = IndexOf(result, key, keyValue);
            if (Directive(item) == "delete")
            {
                RemoveWhere(result, r => r is JsonObject o && JsonEquality.Equal(o[key], keyValue));
                continue;
            }

            if (index < 0)
            {
                result.Add(MergeObject(null, item, itemSchema));
                continue;
            }

            var current = (JsonObject)result[index]!;
            result[index] = null;
            result[index] = MergeObject(current, item, itemSchema);
        }
    }

    private static string Canonical(JsonNode? value) => PathElement.Value(value).Encoded;

    private static int IndexOf(JsonArray list, string key, JsonNode? keyValue)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && JsonEquality.Equal(o[key], keyValue))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Reorder(JsonArray list, JsonArray order, TypeSchema listSchema)
    {
        var key = listSchema.ListType == ListType.Map ? listSchema.PatchMergeKey : null;
        int Rank(JsonNode? item)
        {
            for (var i = 0; i < order.Count; i++)
            {
                var matches = key is null
                    ? JsonEquality.Equal(order[i], item)
                    : item is JsonObject o && order[i] is JsonObject wanted && JsonEquality.Equal(o[key], wanted[key]);
                if (matches)
                {
                    return i;
                }
            }

            return order.Count;
        }

        var sorted = list.Select((item, position) => (item, position)).OrderBy(e => Rank(e.item)).ThenBy(e => e.position)
            .Select(e => e.item).ToList();
        list.Clear();
        foreach (var item in sorted)
        {
            list.Add(item);
        }
    }

    private static void RemoveWhere(JsonArray list, Func<JsonNode?, bool> predicate)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (predicate(list[i]))
            {
                list.RemoveAt(i);
            }
        }
    }

    private static string? Directive(JsonObject obj) => obj[PatchDirective] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) && text is "merge" or "replace" or "delete" => text,
        var other => throw new PatchException($"strategic merge patch: unknown $patch directive {other.ToJsonString()}", 400),
    };

    private static PatchException Malformed(string directive) =>
        new($"strategic merge patch: {directive} must be a list of strings or objects", 400);
}
