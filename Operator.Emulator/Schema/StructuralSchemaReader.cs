// Reads a CRD's openAPIV3Schema (a structural schema) into a TypeSchema.
// Invariants: the root always declares apiVersion, kind and standard metadata (whatever the CRD says about
// metadata), as do embedded resources; an unreadable schema is rejected with an ArgumentException naming the
// offending path, never half-registered.
// x-kubernetes-validations are compiled here (Cel/ValidationRuleReader) and evaluated on writes.
// Not evaluated (documented difference from kube-apiserver): allOf, anyOf, oneOf and not (value validations), and
// formats other than int32/int64.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Operator.Emulator.Schema.Cel;

namespace Operator.Emulator.Schema;

internal static class StructuralSchemaReader
{
    public static TypeSchema ReadRoot(JsonObject openApiV3Schema)
    {
        var root = Read(openApiV3Schema, "openAPIV3Schema");
        return WithStandardObjectFields(root);
    }

    private static TypeSchema WithStandardObjectFields(TypeSchema schema) => schema
        .WithProperty("apiVersion", new TypeSchema { Type = "string" })
        .WithProperty("kind", new TypeSchema { Type = "string" })
        .WithProperty("metadata", ObjectMetaSchema.Create());

    private static TypeSchema Read(JsonObject node, string path)
    {
        try
        {
            var properties = new Dictionary<string, TypeSchema>(StringComparer.Ordinal);
            if (node["properties"] is JsonObject declared)
            {
                foreach (var (name, child) in declared)
                {
                    properties[name] = child is JsonObject childSchema
                        ? Read(childSchema, $"{path}.properties[{name}]")
                        : throw new ArgumentException($"{path}.properties[{name}] must be a schema object");
                }
            }

            var preserveUnknown = Flag(node, "x-kubernetes-preserve-unknown-fields");
            TypeSchema? additional = node["additionalProperties"] switch
            {
                JsonObject valueSchema => Read(valueSchema, $"{path}.additionalProperties"),
                JsonValue allowed when allowed.GetValueKind() == JsonValueKind.True => TypeSchema.Permissive(),
                _ => null,
            };
            var items = node["items"] switch
            {
                JsonObject single => Read(single, $"{path}.items"),
                JsonArray { Count: > 0 } tuple when tuple[0] is JsonObject first => Read(first, $"{path}.items"),
                _ => null,
            };
            var listType = Text(node, "x-kubernetes-list-type") switch
            {
                null or "atomic" => ListType.Atomic,
                "set" => ListType.Set,
                "map" => ListType.Map,
                var other => throw new ArgumentException($"{path}: unsupported x-kubernetes-list-type \"{other}\""),
            };
            var mapKeys = node["x-kubernetes-list-map-keys"] is JsonArray keys
                ? keys.Select(k => k?.GetValue<string>() ?? throw new ArgumentException($"{path}: list-map keys must be strings")).ToArray()
                : [];
            if (listType == ListType.Map && mapKeys.Length == 0)
            {
                throw new ArgumentException($"{path}: x-kubernetes-list-type map requires x-kubernetes-list-map-keys");
            }

            var schema = new TypeSchema
            {
                Type = Text(node, "type"),
                Properties = properties,
                AdditionalProperties = additional,
                PreserveUnknownFields = preserveUnknown,
                Items = items,
                ListType = listType,
                ListMapKeys = mapKeys,
                MapType = Text(node, "x-kubernetes-map-type") == "atomic" ? MapType.Atomic : MapType.Granular,
                Required = node["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [],
                Enum = node["enum"] is JsonArray values ? [.. values.Select(v => v?.DeepClone())] : null,
                Minimum = Number(node, "minimum"),
                Maximum = Number(node, "maximum"),
                ExclusiveMinimum = Flag(node, "exclusiveMinimum"),
                ExclusiveMaximum = Flag(node, "exclusiveMaximum"),
                MinLength = Integer(node, "minLength"),
                MaxLength = Integer(node, "maxLength"),
                MinItems = Integer(node, "minItems"),
                MaxItems = Integer(node, "maxItems"),
                MinProperties = Integer(node, "minProperties"),
                MaxProperties = Integer(node, "maxProperties"),
                Pattern = Text(node, "pattern"),
                Format = Text(node, "format"),
                Nullable = Flag(node, "nullable"),
                Default = node["default"]?.DeepClone(),
                IntOrString = Flag(node, "x-kubernetes-int-or-string"),
                EmbeddedResource = Flag(node, "x-kubernetes-embedded-resource"),
                Validations = ValidationRuleReader.Read(node),
            };
            return schema.EmbeddedResource
                ? WithStandardObjectFields(schema).Requiring("apiVersion", "kind")
                : schema;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or RegexParseException)
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
        }
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Flag(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static double? Number(JsonObject node, string name) =>
        JsonNumber.TryRead(node[name], out var number) ? (double)number : null;

    private static long? Integer(JsonObject node, string name) =>
        JsonNumber.TryRead(node[name], out var number) ? (long)number : null;
}
