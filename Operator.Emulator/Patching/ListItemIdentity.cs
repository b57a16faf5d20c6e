// The identity of a list item for server-side apply: its key fields in a map list (a key field the item omits
// takes the key field's schema default, as kube-apiserver defaults Protocol "TCP" on ports; a key without value or
// default is left out of the identity), the item itself in a set. Atomic lists have no item identities.
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal static class ListItemIdentity
{
    /// <summary>Whether items of <paramref name="list"/> are tracked one by one.</summary>
    public static bool IsGranular(TypeSchema list) => list.ListType is ListType.Map or ListType.Set;

    public static PathElement? Of(JsonNode? item, TypeSchema list)
    {
        if (list.ListType == ListType.Set)
        {
            return PathElement.Value(item);
        }

        if (list.ListType != ListType.Map || item is not JsonObject obj)
        {
            return null;
        }

        var keys = new JsonObject();
        foreach (var name in list.ListMapKeys)
        {
            if (obj.TryGetPropertyValue(name, out var value) && value is not null)
            {
                keys[name] = value.DeepClone();
            }
            else if (list.ItemSchema.ChildSchema(name).Default is { } fallback)
            {
                keys[name] = fallback.DeepClone();
            }
        }

        return PathElement.Key(keys);
    }

    /// <summary>Items of a granular list by identity, first occurrence winning, in list order.</summary>
    public static List<(PathElement Id, JsonNode? Item)> Index(JsonArray? list, TypeSchema schema)
    {
        var result = new List<(PathElement, JsonNode?)>();
        var seen = new HashSet<PathElement>();
        foreach (var item in list ?? [])
        {
            if (Of(item, schema) is { } id && seen.Add(id))
            {
                result.Add((id, item));
            }
        }

        return result;
    }
}
