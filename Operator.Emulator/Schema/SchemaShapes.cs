// Vocabulary for hand-writing the schemas of built-in kinds. Built-in structs keep fields they do not declare
// (the hand-written schemas describe only what merging, defaulting and validation need), so nothing of a
// built-in object is pruned except non-standard metadata and, at the root of a Kind (whose top-level fields are
// all listed), undeclared top-level fields.
using System.Text.Json.Nodes;

namespace Operator.Emulator.Schema;

internal static class SchemaShapes
{
    public static TypeSchema Str() => new() { Type = "string" };

    public static TypeSchema Str(string defaultValue) => Str().Defaulting(JsonValue.Create(defaultValue));

    public static TypeSchema OneOf(params string[] values) =>
        new() { Type = "string", Enum = [.. values.Select(v => (JsonNode?)JsonValue.Create(v))] };

    public static TypeSchema Int32() => new() { Type = "integer", Format = "int32" };

    public static TypeSchema Int32(long defaultValue) => Int32().Defaulting(JsonValue.Create(defaultValue));

    public static TypeSchema Int64() => new() { Type = "integer", Format = "int64" };

    public static TypeSchema Bool() => new() { Type = "boolean" };

    public static TypeSchema IntOrStr() => new() { IntOrString = true };

    /// <summary>A resource quantity: a string ("500m") or a number (0.5, 2).</summary>
    public static TypeSchema Quantity() => new();

    /// <summary>A struct: declared fields, unknown fields kept.</summary>
    public static TypeSchema Struct(params (string Name, TypeSchema Schema)[] fields) => new()
    {
        Type = "object",
        Properties = fields.ToDictionary(f => f.Name, f => f.Schema, StringComparer.Ordinal),
        PreserveUnknownFields = true,
    };

    /// <summary>A struct replaced as a whole by merges (x-kubernetes-map-type: atomic).</summary>
    public static TypeSchema AtomicStruct(params (string Name, TypeSchema Schema)[] fields) => new()
    {
        Type = "object",
        Properties = fields.ToDictionary(f => f.Name, f => f.Schema, StringComparer.Ordinal),
        PreserveUnknownFields = true,
        MapType = MapType.Atomic,
    };

    /// <summary>A map from string keys to values of one schema (labels, data, resource lists).</summary>
    public static TypeSchema MapOf(TypeSchema values) => new() { Type = "object", AdditionalProperties = values };

    public static TypeSchema StringMap() => MapOf(Str());

    /// <summary>A free-form object kept as sent.</summary>
    public static TypeSchema FreeForm() => new() { Type = "object", PreserveUnknownFields = true };

    public static TypeSchema AtomicList(TypeSchema items) => new() { Type = "array", Items = items, ListType = ListType.Atomic };

    public static TypeSchema SetOf(TypeSchema items) => new() { Type = "array", Items = items, ListType = ListType.Set };

    /// <summary>A map list keyed by <paramref name="keys"/>; strategic merge patch matches items by <paramref name="patchMergeKey"/> (default: the first key).</summary>
    public static TypeSchema MapList(TypeSchema items, string[] keys, string? patchMergeKey = null) => new()
    {
        Type = "array",
        Items = items,
        ListType = ListType.Map,
        ListMapKeys = keys,
        PatchMergeKey = patchMergeKey,
    };

    /// <summary>status.conditions: a map list keyed by type.</summary>
    public static TypeSchema Conditions() => MapList(
        Struct(("type", Str()), ("status", Str()), ("reason", Str()), ("message", Str()), ("lastTransitionTime", Str())),
        ["type"]);

    /// <summary>
    /// The root of a kind: apiVersion, kind, standard metadata and the given top-level fields, which must be all the
    /// kind has: any other top-level field is undeclared (refused, warned about or dropped per fieldValidation).
    /// </summary>
    public static TypeSchema Kind(bool statusSubresource, params (string Name, TypeSchema Schema)[] fields)
    {
        var root = new TypeSchema
        {
            Type = "object",
            Properties = new (string Name, TypeSchema Schema)[] { ("apiVersion", Str()), ("kind", Str()), ("metadata", ObjectMetaSchema.Create()) }
                .Concat(fields).ToDictionary(f => f.Name, f => f.Schema, StringComparer.Ordinal),
        };
        root.HasStatusSubresource = statusSubresource;
        return root;
    }

    /// <summary>As <see cref="Kind"/>, for a kind whose top-level fields are not all listed: others are kept.</summary>
    public static TypeSchema OpenKind(bool statusSubresource, params (string Name, TypeSchema Schema)[] fields)
    {
        var root = Struct([("apiVersion", Str()), ("kind", Str()), ("metadata", ObjectMetaSchema.Create()), .. fields]);
        root.HasStatusSubresource = statusSubresource;
        return root;
    }
}
