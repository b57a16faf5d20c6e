// Drops what a structural schema does not declare, as kube-apiserver prunes custom resources.
// Invariants: apiVersion, kind and the standard metadata fields are declared on every root and embedded resource
// and so are never pruned; fields under x-kubernetes-preserve-unknown-fields are kept (their declared children are
// still pruned); a null in a non-nullable field is removed, so defaulting can fill it (except
// where the caller keeps nulls for validation to refuse, as for server-side apply).
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema;

internal static class SchemaPruner
{
    public static void Prune(JsonNode? value, TypeSchema schema, bool removeNulls = true)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(obj, schema, removeNulls);
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Prune(item, schema.ItemSchema, removeNulls);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, TypeSchema schema, bool removeNulls)
    {
        foreach (var (name, child) in obj.ToList())
        {
            var declared = schema.Declares(name);
            if (!declared && schema.AdditionalProperties is null)
            {
                if (!schema.PreserveUnknownFields)
                {
                    obj.Remove(name);
                }

                continue;
            }

            var childSchema = schema.ChildSchema(name);
            if (child is null && declared && !childSchema.Nullable && removeNulls)
            {
                obj.Remove(name);
                continue;
            }

            Prune(child, childSchema, removeNulls);
        }
    }
}
