// Invariants:
// - A TypeSchema node describes one value: an object with named fields, a free-form map, a list
//   (atomic, set or map keyed by ListMapKeys) or a scalar. Child lookups never return null: an undeclared
//   child is described by an untyped schema (free-form objects, atomic lists), as kube-apiserver deduces it.
// - Everything except HasStatusSubresource is fixed at construction; HasStatusSubresource is set once by
//   whoever registers the schema, before the schema is handed to readers.
// - A Pattern is compiled once, with a match timeout, when the node is built.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Operator.Emulator.Schema.Cel;

namespace Operator.Emulator.Schema;

/// <summary>How a list merges: replaced whole, a set of scalars, or a map keyed by <see cref="TypeSchema.ListMapKeys"/>.</summary>
public enum ListType
{
    Atomic,
    Set,
    Map,
}

/// <summary>How an object merges: field by field, or replaced whole (x-kubernetes-map-type: atomic).</summary>
public enum MapType
{
    Granular,
    Atomic,
}

public sealed partial class TypeSchema
{
    private static readonly TypeSchema Untyped = new() { PreserveUnknownFields = true };
    private readonly string? pattern;

    public TypeSchema()
    {
    }

    private TypeSchema(TypeSchema other)
    {
        Type = other.Type;
        Properties = other.Properties;
        AdditionalProperties = other.AdditionalProperties;
        PreserveUnknownFields = other.PreserveUnknownFields;
        Items = other.Items;
        ListType = other.ListType;
        ListMapKeys = other.ListMapKeys;
        PatchMergeKey = other.PatchMergeKey;
        MapType = other.MapType;
        Required = other.Required;
        Enum = other.Enum;
        Minimum = other.Minimum;
        Maximum = other.Maximum;
        ExclusiveMinimum = other.ExclusiveMinimum;
        ExclusiveMaximum = other.ExclusiveMaximum;
        MinLength = other.MinLength;
        MaxLength = other.MaxLength;
        MinItems = other.MinItems;
        MaxItems = other.MaxItems;
        MinProperties = other.MinProperties;
        MaxProperties = other.MaxProperties;
        pattern = other.pattern;
        PatternRegex = other.PatternRegex;
        Format = other.Format;
        Nullable = other.Nullable;
        Default = other.Default;
        DefaultFromParent = other.DefaultFromParent;
        IntOrString = other.IntOrString;
        EmbeddedResource = other.EmbeddedResource;
        HasStatusSubresource = other.HasStatusSubresource;
        Validations = other.Validations;
    }

    /// <summary>A schema that declares nothing: objects are free-form maps, lists are atomic, nothing is pruned.</summary>
    public static TypeSchema Permissive() => new() { PreserveUnknownFields = true };

    /// <summary>OpenAPI type: object, array, string, integer, number, boolean; null when any type is allowed.</summary>
    public string? Type { get; init; }

    public IReadOnlyDictionary<string, TypeSchema> Properties { get; init; } = new Dictionary<string, TypeSchema>();

    /// <summary>Schema of the values of a map (additionalProperties); null when the object has no such values.</summary>
    public TypeSchema? AdditionalProperties { get; init; }

    /// <summary>Undeclared fields are kept (x-kubernetes-preserve-unknown-fields) instead of pruned.</summary>
    public bool PreserveUnknownFields { get; init; }

    public TypeSchema? Items { get; init; }

    public ListType ListType { get; init; } = ListType.Atomic;

    /// <summary>Keys identifying the items of a map list (x-kubernetes-list-map-keys).</summary>
    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    /// <summary>
    /// Key a strategic merge patch matches list items by (Go struct tag patchMergeKey); it can differ from the
    /// server-side apply keys (container ports merge by containerPort, apply by containerPort and protocol).
    /// Defaults to the first list-map key.
    /// </summary>
    public string? PatchMergeKey
    {
        get => field ?? (ListMapKeys.Count > 0 ? ListMapKeys[0] : null);
        init => field = value;
    }

    public MapType MapType { get; init; } = MapType.Granular;

    public IReadOnlyList<string> Required { get; init; } = [];

    public IReadOnlyList<JsonNode?>? Enum { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public string? Pattern
    {
        get => pattern;
        init
        {
            pattern = value;
            PatternRegex = value is null ? null : new Regex(value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
    }

    internal Regex? PatternRegex { get; private init; }

    /// <summary>int32, int64 are enforced; other formats are informational.</summary>
    public string? Format { get; init; }

    public bool Nullable { get; init; }

    /// <summary>Value set when the field is absent (or null and not nullable) and its parent object exists.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>A default computed from the parent object (built-in kinds: imagePullPolicy from image, targetPort from port).</summary>
    internal Func<JsonObject, JsonNode?>? DefaultFromParent { get; init; }

    /// <summary>x-kubernetes-int-or-string: an integer or a string.</summary>
    public bool IntOrString { get; init; }

    /// <summary>x-kubernetes-validations: CEL rules evaluated with self bound to this node's value.</summary>
    public IReadOnlyList<ValidationRule> Validations { get; init; } = [];

    /// <summary>x-kubernetes-embedded-resource: an object with apiVersion, kind and standard metadata.</summary>
    public bool EmbeddedResource { get; init; }

    /// <summary>
    /// The kind has a status subresource: the main endpoint ignores status, "/status" changes only status.
    /// Meaningful on the root schema of a kind.
    /// </summary>
    public bool HasStatusSubresource { get; set; }

    /// <summary>Objects whose fields are declared (a struct) as opposed to maps whose keys are data.</summary>
    internal bool IsStruct => Properties.Count > 0;

    internal bool IsAtomicObject => MapType == MapType.Atomic;

    /// <summary>Schema of the field <paramref name="name"/> of an object described by this node.</summary>
    public TypeSchema ChildSchema(string name) =>
        Properties.TryGetValue(name, out var declared) ? declared : AdditionalProperties ?? Untyped;

    /// <summary>Schema of the items of a list described by this node.</summary>
    public TypeSchema ItemSchema => Items ?? Untyped;

    /// <summary>A copy of this node with required fields added.</summary>
    internal TypeSchema Requiring(params string[] fields) => new(this) { Required = [.. Required, .. fields] };

    /// <summary>A copy of this node with a constant default.</summary>
    internal TypeSchema Defaulting(JsonNode value) => new(this) { Default = value };

    /// <summary>A copy of this node whose default is computed from the parent object.</summary>
    internal TypeSchema DefaultingFrom(Func<JsonObject, JsonNode?> compute) => new(this) { DefaultFromParent = compute };

    /// <summary>A copy of this node with an extra declared field (used to graft standard metadata onto CRD schemas).</summary>
    internal TypeSchema WithProperty(string name, TypeSchema schema)
    {
        var properties = new Dictionary<string, TypeSchema>(Properties, StringComparer.Ordinal) { [name] = schema };
        return new(this) { Properties = properties };
    }

    /// <summary>Whether <paramref name="name"/> is a declared field (as opposed to a map key or unknown field).</summary>
    public bool Declares(string name) => Properties.ContainsKey(name);
}
