// Contract between the emulator's API server and its schema engine (types, list-merge keys, CRD structural schemas).
// x-kubernetes-validations (CEL rules) are evaluated by Validate(obj, old); allOf, anyOf, oneOf, not, and formats
// other than int32/int64 are not.
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Operator.Emulator.Schema.Cel;

namespace Operator.Emulator.Schema;

/// <summary>One validation failure, named by its JSON field path (e.g. <c>spec.workers[0].name</c>).</summary>
public sealed record FieldError(string Path, string Reason, string Message);

/// <summary>
/// What the patch engine and the validator need to know of one kind: which lists are maps keyed by what,
/// which are sets, which are atomic, which objects are atomic or free-form maps, and (for CRDs) the
/// structural OpenAPI schema used for validation, pruning and defaulting.
/// </summary>
public sealed partial class TypeSchema
{
    /// <summary>kube-apiserver's error when schema errors stop the CEL rules from running (a field.Invalid with no path and no value).</summary>
    private static readonly FieldError RulesNotChecked = new("<nil>", "FieldValueInvalid",
        "Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");

    private bool? hasRules;

    /// <summary>
    /// Validates the object; empty when valid. Each error's Message is kube-apiserver's error text without the
    /// leading "path: " (e.g. Path "spec.replicas", Message "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"").
    /// </summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj) => SchemaValidator.Validate(obj, this);

    /// <summary>
    /// Validates the object as kube-apiserver validates a custom resource written over <paramref name="old"/> (null on
    /// create): the schema first, then its CEL rules, unless a schema error means the object does not have the
    /// shape the rules were written for (then one error says the rules were not checked).
    /// </summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? old)
    {
        var errors = SchemaValidator.Validate(obj, this);
        if (!HasRules)
        {
            return errors;
        }

        if (errors.Any(error => error.Reason is "FieldValueNotSupported" or "FieldValueRequired" or "FieldValueTooLong" or "FieldValueTooMany" or "FieldValueTypeInvalid"))
        {
            return [.. errors, RulesNotChecked];
        }

        return [.. errors, .. RuleEvaluator.Evaluate(obj, old, this)];
    }

    /// <summary>Whether this node or any below it has CEL rules.</summary>
    internal bool HasRules => hasRules ??= RuleEvaluator.HasRules(this);

    /// <summary>Removes fields the schema does not declare (CRDs without x-kubernetes-preserve-unknown-fields).</summary>
    public void Prune(JsonObject obj) => SchemaPruner.Prune(obj, this);

    /// <summary>As <see cref="Prune(JsonObject)"/>; with <paramref name="removeNulls"/> false a null in a non-nullable field stays (for validation to refuse).</summary>
    public void Prune(JsonObject obj, bool removeNulls) => SchemaPruner.Prune(obj, this, removeNulls);

    /// <summary>Fills schema defaults (CRD `default`, built-in defaults such as Deployment spec.replicas = 1).</summary>
    public void ApplyDefaults(JsonObject obj) => SchemaDefaulter.ApplyDefaults(obj, this);
}

/// <summary>Schemas of the built-in kinds, plus those of CRDs registered at run time.</summary>
public sealed partial class SchemaRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Kind), TypeSchema> schemas = new();

    /// <summary>Built-in kinds the emulator serves (core, apps, autoscaling, networking, policy, events, coordination, apiextensions).</summary>
    public static SchemaRegistry CreateBuiltIn()
    {
        var registry = new SchemaRegistry();
        foreach (var entry in BuiltInKindSchemas.All)
        {
            registry.schemas[(entry.Group, entry.Version, entry.Kind)] = entry.Create();
        }

        return registry;
    }

    /// <summary>Registers (or replaces) the schema of one version of a CRD from its openAPIV3Schema.</summary>
    /// <exception cref="ArgumentException">The schema cannot be read (unknown list type, map list without keys, bad pattern).</exception>
    public void RegisterCustom(string group, string version, string kind, JsonObject openApiV3Schema) =>
        RegisterCustom(group, version, kind, openApiV3Schema, hasStatusSubresource: false);

    /// <summary>Registers (or replaces) the schema of one version of a CRD, saying whether that version has a status subresource.</summary>
    public void RegisterCustom(string group, string version, string kind, JsonObject openApiV3Schema, bool hasStatusSubresource)
    {
        var schema = StructuralSchemaReader.ReadRoot(openApiV3Schema);
        schema.HasStatusSubresource = hasStatusSubresource;
        schemas[(group, version, kind)] = schema;
    }

    public void Unregister(string group, string version, string kind) => schemas.TryRemove((group, version, kind), out _);

    /// <summary>
    /// The schema for a kind; another registered version of the same group and kind stands in for an unregistered
    /// version; an unknown kind gets a permissive schema (atomic lists, free-form objects).
    /// </summary>
    public TypeSchema Get(string group, string version, string kind)
    {
        if (schemas.TryGetValue((group, version, kind), out var exact))
        {
            return exact;
        }

        foreach (var ((g, _, k), schema) in schemas)
        {
            if (g == group && k == kind)
            {
                return schema;
            }
        }

        return TypeSchema.Permissive();
    }

    /// <summary>Whether a schema is registered for exactly this group, version and kind.</summary>
    public bool Contains(string group, string version, string kind) => schemas.ContainsKey((group, version, kind));
}
