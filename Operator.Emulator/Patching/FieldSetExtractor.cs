// The set of fields an object sets, as server-side apply counts them: every scalar, atomic list and atomic object;
// every item of a map list or set (the item itself and its fields); every entry of a free-form map; a declared
// field only through its contents, unless it is null or an empty object.
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal static class FieldSetExtractor
{
    public static FieldSet Extract(JsonObject obj, TypeSchema schema)
    {
        var set = new FieldSet();
        Walk(obj, schema, [], set);
        return set;
    }

    private static void Walk(JsonNode? value, TypeSchema schema, List<PathElement> path, FieldSet set)
    {
        switch (value)
        {
            case JsonObject obj when !schema.IsAtomicObject:
                foreach (var (name, child) in obj)
                {
                    path.Add(PathElement.Field(name));
                    Walk(child, schema.ChildSchema(name), path, set);
                    if (child is null or JsonObject { Count: 0 } || !schema.Declares(name))
                    {
                        set.Insert(path);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray list when ListItemIdentity.IsGranular(schema):
                foreach (var (id, item) in ListItemIdentity.Index(list, schema))
                {
                    path.Add(id);
                    Walk(item, schema.ItemSchema, path, set);
                    set.Insert(path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                set.Insert(path);
                break;
        }
    }
}
