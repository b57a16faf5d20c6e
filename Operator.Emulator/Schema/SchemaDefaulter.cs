// Applies schema defaults the way kube-apiserver defaults objects.
// Invariants: a default is applied only inside an object that exists (never creates a missing parent, except
// by the parent's own default), to fields that are absent or null-and-not-nullable; a default value is itself
// defaulted (a defaulted {} gets its children's defaults); constant defaults are applied before defaults computed
// from the parent, so a computed default can see them (Deployment strategy.type before strategy.rollingUpdate).
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema;

internal static class SchemaDefaulter
{
    public static void ApplyDefaults(JsonNode? value, TypeSchema schema)
    {
        switch (value)
        {
            case JsonObject obj:
                DefaultObject(obj, schema);
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ApplyDefaults(item, schema.ItemSchema);
                }

                break;
        }
    }

    private static void DefaultObject(JsonObject obj, TypeSchema schema)
    {
        foreach (var (name, fieldSchema) in schema.Properties)
        {
            if (fieldSchema.Default is { } constant && IsUnset(obj, name, fieldSchema))
            {
                obj[name] = constant.DeepClone();
            }
        }

        foreach (var (name, fieldSchema) in schema.Properties)
        {
            if (fieldSchema.DefaultFromParent is { } compute && IsUnset(obj, name, fieldSchema) && compute(obj) is { } computed)
            {
                obj[name] = computed;
            }
        }

        foreach (var (name, child) in obj)
        {
            if (schema.Declares(name) || schema.AdditionalProperties is not null)
            {
                ApplyDefaults(child, schema.ChildSchema(name));
            }
        }
    }

    private static bool IsUnset(JsonObject obj, string name, TypeSchema fieldSchema) =>
        !obj.TryGetPropertyValue(name, out var current) || (current is null && !fieldSchema.Nullable);
}
