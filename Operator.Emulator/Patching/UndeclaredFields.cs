// Finds the fields of an object that its schema does not declare, where the schema says what may be there: objects
// without x-kubernetes-preserve-unknown-fields and without additionalProperties (every custom resource level so
// declared; of built-in kinds, ObjectMeta and the structs their hand-written schemas mark closed).
// Each is named twice: as kube-apiserver's strict decoder names it (spec.containers[0].x) and as
// structured-merge-diff does in an apply error (.spec.containers[name="app"].x).
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

/// <summary>One undeclared field and the object holding it.</summary>
internal sealed record UndeclaredField(string DecoderPath, string ApplyPath, JsonObject Parent, string Name);

internal static class UndeclaredFields
{
    public static IReadOnlyList<UndeclaredField> Find(JsonObject obj, TypeSchema schema)
    {
        var found = new List<UndeclaredField>();
        Walk(obj, schema, string.Empty, string.Empty, found);
        return found;
    }

    /// <summary>Removes the fields <see cref="Find"/> returned, as typed decoding and pruning drop them.</summary>
    public static void Remove(IEnumerable<UndeclaredField> fields)
    {
        foreach (var field in fields)
        {
            field.Parent.Remove(field.Name);
        }
    }

    private static void Walk(JsonNode? value, TypeSchema schema, string decoderPath, string applyPath, List<UndeclaredField> found)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var childDecoder = decoderPath.Length == 0 ? name : $"{decoderPath}.{name}";
                    var childApply = $"{applyPath}.{name}";
                    if (!schema.Declares(name) && schema.AdditionalProperties is null)
                    {
                        if (!schema.PreserveUnknownFields)
                        {
                            found.Add(new UndeclaredField(childDecoder, childApply, obj, name));
                        }

                        continue;
                    }

                    Walk(child, schema.ChildSchema(name), childDecoder, childApply, found);
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    var id = ListItemIdentity.IsGranular(schema) ? ListItemIdentity.Of(list[i], schema) : null;
                    var itemApply = id is null ? $"{applyPath}[{i}]" : applyPath + id.Value.Describe();
                    Walk(list[i], schema.ItemSchema, $"{decoderPath}[{i}]", itemApply, found);
                }

                break;
        }
    }
}
