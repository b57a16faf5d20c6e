// What changed between two versions of an object, as managed-field paths: Added (present only after; a new
// object or list item is added itself, with everything in it), Removed (present only before, likewise), Modified
// (a scalar, atomic list or atomic object whose value differs).
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal sealed record ObjectDiff(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    /// <summary>Fields a writer set: added or modified.</summary>
    public FieldSet Changed => Added.Union(Modified);

    public static ObjectDiff Between(JsonObject? before, JsonObject after, TypeSchema schema)
    {
        var diff = new ObjectDiff(new FieldSet(), new FieldSet(), new FieldSet());
        diff.Compare(before is not null, before ?? [], true, after, schema, []);
        return diff;
    }

    private void Compare(bool hasBefore, JsonNode? before, bool hasAfter, JsonNode? after, TypeSchema schema, List<PathElement> path)
    {
        if (hasBefore && hasAfter)
        {
            CompareBoth(before, after, schema, path);
            return;
        }

        var (present, target) = hasAfter ? (after, Added) : (before, Removed);
        target.Insert(path);
        switch (present)
        {
            case JsonObject obj when !schema.IsAtomicObject:
                foreach (var (name, child) in obj)
                {
                    path.Add(PathElement.Field(name));
                    Compare(!hasAfter, child, hasAfter, child, schema.ChildSchema(name), path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray list when ListItemIdentity.IsGranular(schema):
                foreach (var (id, item) in ListItemIdentity.Index(list, schema))
                {
                    path.Add(id);
                    Compare(!hasAfter, item, hasAfter, item, schema.ItemSchema, path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
        }
    }

    private void CompareBoth(JsonNode? before, JsonNode? after, TypeSchema schema, List<PathElement> path)
    {
        switch (before, after)
        {
            case (JsonObject left, JsonObject right) when !schema.IsAtomicObject:
                foreach (var name in left.Select(p => p.Key).Union(right.Select(p => p.Key)))
                {
                    path.Add(PathElement.Field(name));
                    Compare(left.TryGetPropertyValue(name, out var l), l, right.TryGetPropertyValue(name, out var r), r, schema.ChildSchema(name), path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case (JsonArray left, JsonArray right) when ListItemIdentity.IsGranular(schema):
                var leftItems = ListItemIdentity.Index(left, schema).ToDictionary(e => e.Id, e => e.Item);
                var rightItems = ListItemIdentity.Index(right, schema).ToDictionary(e => e.Id, e => e.Item);
                foreach (var id in leftItems.Keys.Union(rightItems.Keys))
                {
                    path.Add(id);
                    Compare(leftItems.TryGetValue(id, out var l), l, rightItems.TryGetValue(id, out var r), r, schema.ItemSchema, path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                if (!JsonEquality.Equal(before, after))
                {
                    Modified.Insert(path);
                }

                break;
        }
    }
}
