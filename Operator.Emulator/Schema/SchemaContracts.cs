// Contract between the emulator's API server and its schema engine (types, list-merge keys, CRD structural schemas).
using System.Text.Json.Nodes;

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
    /// <summary>Validates the object; empty when valid.</summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj) => throw new NotImplementedException();

    /// <summary>Removes fields the schema does not declare (CRDs without x-kubernetes-preserve-unknown-fields).</summary>
    public void Prune(JsonObject obj) => throw new NotImplementedException();

    /// <summary>Fills schema defaults (CRD `default`, built-in defaults such as Deployment spec.replicas = 1).</summary>
    public void ApplyDefaults(JsonObject obj) => throw new NotImplementedException();
}

/// <summary>Schemas of the built-in kinds, plus those of CRDs registered at run time.</summary>
public sealed partial class SchemaRegistry
{
    /// <summary>Built-in kinds the emulator serves (core, apps, autoscaling, networking, policy, events, coordination, apiextensions).</summary>
    public static SchemaRegistry CreateBuiltIn() => throw new NotImplementedException();

    /// <summary>Registers (or replaces) the schema of one version of a CRD from its openAPIV3Schema.</summary>
    public void RegisterCustom(string group, string version, string kind, JsonObject openApiV3Schema) => throw new NotImplementedException();

    public void Unregister(string group, string version, string kind) => throw new NotImplementedException();

    /// <summary>The schema for a kind; an unknown kind gets a permissive schema (atomic lists, free-form objects).</summary>
    public TypeSchema Get(string group, string version, string kind) => throw new NotImplementedException();
}
