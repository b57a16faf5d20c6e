// Turns what a client sent (or a patch produced) into what is stored. Invariants it enforces:
// - apiVersion/kind/name/namespace always match the URL; uid and creationTimestamp never change after create;
//   deletionTimestamp is set only by the server; resourceVersion is left for the store to assign.
// - With a status subresource, the main endpoint never changes status and /status changes only status (and the
//   managedFields that record who owns it).
// - generation (only on kinds whose real strategy keeps one, ObjectGeneration) starts at 1 and grows by one whenever
//   anything other than metadata (and status) changes, and for a Deployment also when its annotations change
//   (DeploymentStrategy).
// - With schema enforcement: fields the schema does not declare are refused, warned about or dropped as the
//   client's fieldValidation says; custom resources are pruned, defaulted and validated (schema, then CEL rules
//   against the stored object); built-ins are defaulted;
//   non-apply writes record their field manager in managedFields.
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;
using Operator.Emulator.Patching;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Api;

/// <summary>One object on its way into the store.</summary>
public sealed record AdmissionRequest(
    ResourceType Type,
    ObjectKeyText Key,
    JsonObject? Before,
    JsonObject After,
    string? Subresource,
    string Manager,
    WriteKind Kind,
    UndeclaredFieldPolicy? Undeclared = null);

/// <summary>
/// What a client's write does with fields the schema does not declare: the directive, the error Strict answers with
/// (given the fields' paths) and where Warn's warnings go.
/// </summary>
public sealed record UndeclaredFieldPolicy(FieldValidation Validation, Func<IReadOnlyList<string>, ApiException> Refuse, ICollection<string>? Warnings)
{
    /// <summary>The keys the request body repeats, reported before the undeclared fields.</summary>
    public DuplicateKeys Duplicates { get; init; } = DuplicateKeys.None;
}

/// <summary>Namespace ("" for cluster-scoped) and name from the URL.</summary>
public sealed record ObjectKeyText(string Namespace, string Name);

/// <summary>Finishes objects before they are stored.</summary>
public sealed class ObjectAdmission(SchemaRegistry? schemas, TimeProvider time, BuiltInObjectShapes shapes)
{

    /// <summary>A root holding only standard metadata: what is validated of a built-in kind.</summary>
    private static readonly TypeSchema MetadataOnly = SchemaShapes.Struct(("metadata", ObjectMetaSchema.Create()));

    /// <summary>True when defaulting, pruning, validation and managedFields bookkeeping are on.</summary>
    public bool EnforcesSchemas => schemas is not null;

    public JsonObject Admit(AdmissionRequest request)
    {
        var (type, key, before, after, subresource, manager, kind, undeclared) = request;
        var now = time.GetUtcNow();
        var schema = schemas?.Get(type.Group, type.Version, type.Kind);
        if (schema is not null)
        {
            DropUndeclaredFields(after, schema, undeclared);
        }

        after = ScopeToSubresource(type, before, after, subresource);
        after["apiVersion"] = type.GroupVersion;
        after["kind"] = type.Kind;
        var metadata = ObjectMetadata.Of(after);
        metadata["name"] = key.Name;
        if (type.Namespaced)
        {
            metadata["namespace"] = key.Namespace;
        }
        else
        {
            metadata.Remove("namespace");
        }

        metadata.Remove("resourceVersion");
        metadata.Remove("selfLink");
        if (before is null)
        {
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = ObjectMetadata.Timestamp(now);
            metadata.Remove("deletionTimestamp");
            metadata.Remove("deletionGracePeriodSeconds");
        }
        else
        {
            CopySystemFields(ObjectMetadata.Of(before), metadata);
        }

        ValidateName(type, key.Name);
        ApplyKindRules(type, before, after, now);
        if (schema is not null)
        {
            if (type.IsCustom)
            {
                // An apply keeps an explicit null, so validation refuses it (422) as kube-apiserver does; other
                // writes drop it, as decoding does, so defaulting can fill the field.
                schema.Prune(after, removeNulls: kind != WriteKind.Apply);
            }

            schema.ApplyDefaults(after);
            // Custom kinds are validated whole; built-in kinds' hand-written schemas are partial, so only their
            // metadata is, whose rules kube-apiserver applies to every kind.
            var errors = type.IsCustom ? schema.Validate(after, before) : MetadataOnly.Validate(new JsonObject { ["metadata"] = metadata.DeepClone() });
            if (errors.Count > 0)
            {
                throw ApiException.Invalid(type, key.Name, [.. errors.Select(error => new StatusCause(error.Reason, error.Message, error.Path))]);
            }
        }

        if (ObjectGeneration.Tracked(type))
        {
            metadata["generation"] = before is null ? 1 : NextGeneration(type, before, after, subresource);
        }
        else
        {
            metadata.Remove("generation");
        }

        if (schema is not null && kind != WriteKind.Apply)
        {
            after = FieldManager.RecordUpdate(before, after, manager, schema, now, subresource);
        }

        BuiltInObjectShapes.MarkPodTemplates(type, after);
        return after;
    }

    /// <summary>
    /// Applies the client's fieldValidation directive to the fields <paramref name="after"/> has that the schema does
    /// not declare, then removes them. Applies never get here with such fields: they are refused before merging.
    /// </summary>
    private static void DropUndeclaredFields(JsonObject after, TypeSchema schema, UndeclaredFieldPolicy? policy)
    {
        var found = UndeclaredFields.Find(after, schema);
        var undeclared = found.Select(field => FieldValidationDirective.Describe(field.DecoderPath)).ToList();
        switch (policy?.Validation)
        {
            case FieldValidation.Strict when policy.Duplicates.Errors.Count + undeclared.Count > 0:
                throw policy.Refuse([.. policy.Duplicates.Errors, .. undeclared]);
            case FieldValidation.Warn:
                foreach (var warning in policy.Duplicates.Warnings.Concat(undeclared))
                {
                    policy.Warnings?.Add(warning);
                }

                break;
        }

        UndeclaredFields.Remove(found);
    }

    /// <summary>The schema the patch engine should use for a kind (permissive when enforcement is off).</summary>
    public TypeSchema SchemaFor(ResourceType type, Func<SchemaRegistry> fallback) =>
        (schemas ?? fallback()).Get(type.Group, type.Version, type.Kind);

    private static JsonObject ScopeToSubresource(ResourceType type, JsonObject? before, JsonObject after, string? subresource)
    {
        if (!type.HasStatus)
        {
            return after;
        }

        if (subresource == "status")
        {
            // Everything but status comes from the stored object, except managedFields: they record what this
            // write (an apply in particular) now owns of status, as kube-apiserver's status strategy keeps them.
            var scoped = before!.DeepClone().AsObject();
            CopyField(after, scoped, "status");
            CopyField(ObjectMetadata.Of(after), ObjectMetadata.Of(scoped), "managedFields");
            DeploymentStrategy.KeepStatusAnnotations(type, after, scoped);
            return scoped;
        }

        if (before is null)
        {
            after.Remove("status");
        }
        else
        {
            CopyField(before, after, "status");
        }

        return after;
    }

    private static void CopyField(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
        else
        {
            to.Remove(field);
        }
    }

    private static void CopySystemFields(JsonObject from, JsonObject to)
    {
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            CopyField(from, to, field);
        }
    }

    private static long NextGeneration(ResourceType type, JsonObject before, JsonObject after, string? subresource)
    {
        var previous = Math.Max(1, ObjectMetadata.Generation(before));
        var shaped = after.DeepClone().AsObject();
        BuiltInObjectShapes.MarkPodTemplates(type, shaped);
        return SameContent(type, before, shaped) && (subresource == "status" || !DeploymentStrategy.AnnotationsChanged(type, before, after)) ? previous : previous + 1;
    }

    private static bool SameContent(ResourceType type, JsonObject before, JsonObject after)
    {
        foreach (var (field, value) in after)
        {
            if (IsBookkeeping(type, field))
            {
                continue;
            }

            if (!JsonNode.DeepEquals(value, before[field]))
            {
                return false;
            }
        }

        return before.All(pair => IsBookkeeping(type, pair.Key) || after.ContainsKey(pair.Key) || pair.Value is null);
    }

    private static bool IsBookkeeping(ResourceType type, string field) =>
        field is "metadata" or "apiVersion" or "kind" || (field == "status" && type.HasStatus);

    private static void ValidateName(ResourceType type, string name)
    {
        var problems = NameValidation.Problems(name, NameValidation.RuleFor(type.Group, type.Resource));
        if (problems.Count > 0)
        {
            throw ApiException.Invalid(type, name, [.. problems.Select(problem => new StatusCause("FieldValueInvalid", $"Invalid value: \"{name}\": {problem}", "metadata.name"))]);
        }
    }

    private void ApplyKindRules(ResourceType type, JsonObject? before, JsonObject after, DateTimeOffset now)
    {
        shapes.Apply(type, before, after);
        if (type.Group.Length == 0 && type.Resource == "namespaces")
        {
            var spec = after["spec"] as JsonObject ?? [];
            after["spec"] = spec;
            if (before is null)
            {
                spec["finalizers"] = new JsonArray("kubernetes");
            }

            if (after["status"]?["phase"] is null)
            {
                after["status"] = new JsonObject { ["phase"] = ObjectMetadata.DeletionTimestamp(after) is null ? "Active" : "Terminating" };
            }
        }
        else if (type.Group == BuiltInResources.ApiExtensionsGroup && type.Resource == "customresourcedefinitions")
        {
            var causes = CustomResourceDefinitionReader.Validate(after);
            if (causes.Count > 0)
            {
                throw ApiException.Invalid(type, ObjectMetadata.Name(after) ?? string.Empty, causes);
            }

            CustomResourceDefinitionReader.SetAcceptedStatus(after, before?["status"] as JsonObject, ObjectMetadata.Timestamp(now));
        }
    }
}
