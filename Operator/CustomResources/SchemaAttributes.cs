// Attributes that carry what an OpenAPI v3 structural schema needs beyond what C# types and
// System.ComponentModel.DataAnnotations say. OpenApiSchemaGenerator reads them; nothing else does.
namespace Operator.CustomResources;

/// <summary>The list is a map keyed by these fields, so server-side apply merges items by key.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeysAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>The list is a set of scalars (<c>x-kubernetes-list-type: set</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListSetAttribute : Attribute;

/// <summary>A CEL rule (<c>x-kubernetes-validations</c>) on the object the class or property describes.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;

    /// <summary>The field the message is about, relative to the object (e.g. <c>.minReplicas</c>).</summary>
    public string? FieldPath { get; init; }
}

/// <summary>An integer or a string (a percentage such as <c>25%</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IntOrStringAttribute : Attribute;

/// <summary>A schema default applied by the API server when the field is absent.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaDefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}

/// <summary>Excludes a property from the generated schema (computed or internal members).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaIgnoreAttribute : Attribute;

/// <summary>The most characters each string item of the list may have (<c>maxLength</c> of the item schema).</summary>
/// <remarks>Bounds what CEL rules over the list cost an API server to estimate and run.</remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemMaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}
