// Removes from an object the fields a manager stopped applying.
// Invariants: a path is removed only when no manager (including the applier's new configuration) owns anything
// at or under it; when someone still owns part of it, only the unowned parts below it are removed, and a list item
// that stays keeps its key fields; an object or list emptied by the removal, that nobody owns anything under, goes
// too (as with kube-apiserver, a list whose every item the applier stopped applying disappears, not left as []).
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal static class OwnedFieldRemover
{
    public static void Remove(JsonObject obj, FieldSet toRemove, FieldSet stillOwned, TypeSchema schema) =>
        RemoveFrom(obj, toRemove, stillOwned, schema, protectedFields: null);

    private static void RemoveFrom(JsonNode node, FieldSet toRemove, FieldSet? stillOwned, TypeSchema schema, IReadOnlySet<string>? protectedFields)
    {
        foreach (var (encoded, removeBelow) in toRemove.Children)
        {
            var element = new PathElement(encoded);
            var ownedBelow = stillOwned?.Child(element);
            if (protectedFields?.Contains(encoded) == true)
            {
                continue;
            }

            switch (node)
            {
                case JsonObject obj when element.IsField && obj.TryGetPropertyValue(element.FieldName, out var child):
                    if (removeBelow.IsMember && ownedBelow is null)
                    {
                        obj.Remove(element.FieldName);
                    }
                    else if (child is JsonObject or JsonArray)
                    {
                        var wasEmpty = child is JsonObject { Count: 0 } or JsonArray { Count: 0 };
                        RemoveFrom(child, removeBelow, ownedBelow, schema.ChildSchema(element.FieldName), null);
                        if (!wasEmpty && ownedBelow is null && child is JsonObject { Count: 0 } or JsonArray { Count: 0 })
                        {
                            obj.Remove(element.FieldName);
                        }
                    }

                    break;
                case JsonArray list:
                    var index = IndexOf(list, element, schema);
                    if (index < 0)
                    {
                        break;
                    }

                    if (removeBelow.IsMember && ownedBelow is null)
                    {
                        list.RemoveAt(index);
                    }
                    else if (list[index] is { } item)
                    {
                        var keys = schema.ListType == ListType.Map
                            ? schema.ListMapKeys.Select(k => PathElement.Field(k).Encoded).ToHashSet(StringComparer.Ordinal)
                            : null;
                        RemoveFrom(item, removeBelow, ownedBelow, schema.ItemSchema, keys);
                    }

                    break;
            }
        }
    }

    private static int IndexOf(JsonArray list, PathElement element, TypeSchema schema)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (ListItemIdentity.Of(list[i], schema) == element)
            {
                return i;
            }
        }

        return -1;
    }
}
