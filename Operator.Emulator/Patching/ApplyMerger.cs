// Merges an applied configuration into the live object the way server-side apply does: objects field by field,
// map lists by item keys, sets by value, atomic lists and objects and scalars replaced.
// List order: the applied items keep the applied order; live items the configuration does not mention keep their
// place relative to the items around them (the interleaving of structured-merge-diff).
// Invariants: neither input is modified; the result shares no node with them.
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

internal static class ApplyMerger
{
    public static JsonObject Merge(JsonObject? live, JsonObject applied, TypeSchema schema) =>
        (JsonObject)MergeValue(live, applied, schema)!;

    private static JsonNode? MergeValue(JsonNode? live, JsonNode? applied, TypeSchema schema) => (live, applied) switch
    {
        (JsonObject l, JsonObject a) when !schema.IsAtomicObject => MergeObject(l, a, schema),
        (JsonArray l, JsonArray a) when ListItemIdentity.IsGranular(schema) => MergeList(l, a, schema),
        (_, JsonObject a) when !schema.IsAtomicObject => MergeObject(null, a, schema),
        _ => applied?.DeepClone(),
    };

    private static JsonObject MergeObject(JsonObject? live, JsonObject applied, TypeSchema schema)
    {
        var result = live is null ? [] : (JsonObject)live.DeepClone();
        foreach (var (name, value) in applied)
        {
            result[name] = MergeValue(live?[name], value, schema.ChildSchema(name));
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray live, JsonArray applied, TypeSchema schema)
    {
        var lhs = ListItemIdentity.Index(live, schema);
        var rhs = ListItemIdentity.Index(applied, schema);
        var lhsItems = lhs.ToDictionary(e => e.Id, e => e.Item);
        var rhsItems = rhs.ToDictionary(e => e.Id, e => e.Item);
        var shared = new Queue<PathElement>(rhs.Select(e => e.Id).Where(lhsItems.ContainsKey));
        var merged = new HashSet<PathElement>();
        var result = new JsonArray();

        void TakeApplied(PathElement id)
        {
            merged.Add(id);
            result.Add(MergeValue(lhsItems.GetValueOrDefault(id), rhsItems[id], schema.ItemSchema));
            if (shared.TryPeek(out var next) && next == id)
            {
                shared.Dequeue();
            }
        }

        int l = 0, r = 0;
        while (l < lhs.Count || r < rhs.Count)
        {
            if (l < lhs.Count && r < rhs.Count)
            {
                var id = lhs[l].Id;
                if (id == rhs[r].Id)
                {
                    TakeApplied(id);
                    l++;
                    r++;
                    continue;
                }

                if (rhsItems.ContainsKey(id) && shared.TryPeek(out var next) && next != id)
                {
                    l++;
                    continue;
                }
            }

            if (l < lhs.Count)
            {
                var id = lhs[l].Id;
                if (!rhsItems.ContainsKey(id))
                {
                    result.Add(lhs[l].Item?.DeepClone());
                    l++;
                    continue;
                }

                if (merged.Contains(id))
                {
                    l++;
                    continue;
                }
            }

            if (r < rhs.Count)
            {
                TakeApplied(rhs[r].Id);
                r++;
            }
        }

        return result;
    }
}
