// The API verbs, independent of HTTP: the HTTP layer, the garbage collector and the simulated controllers all
// write through here, so every write gets the same admission, concurrency and deletion rules.
// Invariants: a write callback runs under the store's writer lock and sees the current object; optimistic
// concurrency compares the caller's resourceVersion with that object; a write that changes nothing is not stored.
using System.Text.Json.Nodes;
using Operator.Emulator.Conversion;
using Operator.Emulator.Discovery;
using Operator.Emulator.Patching;
using Operator.Emulator.Schema;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Api;

/// <summary>get, list, watch, create, update, patch and delete over the object store.</summary>
public sealed class ResourceService(
    ObjectStore store,
    ResourceCatalog catalog,
    ObjectAdmission admission,
    Func<SchemaRegistry> schemas,
    CustomResourceLifecycle customResources,
    TimeProvider time)
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public ObjectStore Store => store;

    public ResourceCatalog Catalog => catalog;

    public JsonObject Get(ResourceType type, string inNamespace, string name) =>
        ServedVersion.Present(type, GetStored(type, inNamespace, name).ToJsonObject());

    /// <summary>The object as stored, not converted to the version <paramref name="type"/> serves.</summary>
    public StoredObject GetStored(ResourceType type, string inNamespace, string name) =>
        store.Snapshot.Get(type.Collection, new ObjectKey(Scope(type, inNamespace), name))
            ?? throw ApiException.NotFound(type, name);

    public ListPage List(ResourceType type, string? inNamespace, ListRequest request)
    {
        var snapshot = store.Snapshot;
        var listVersion = snapshot.ResourceVersion;
        ObjectKey? after = null;
        if (!string.IsNullOrEmpty(request.Continue))
        {
            var token = ContinueToken.Decode(request.Continue);
            if (token.ResourceVersion < store.OldestWatchableResourceVersion(type.Collection))
            {
                throw ApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            after = token.After;
            listVersion = token.ResourceVersion;
        }

        var scopedNamespace = type.Namespaced ? inNamespace : null;
        var pinnedName = request.Fields.RequiredName;
        // metadata.name=x in one namespace (what kubectl wait and single-object informers send) is one lookup, not a scan.
        IReadOnlyList<StoredObject> candidates = pinnedName is not null && (scopedNamespace is not null || !type.Namespaced)
            ? Pinned(snapshot, type, new ObjectKey(scopedNamespace ?? string.Empty, pinnedName), after)
            : snapshot.Items(type.Collection, scopedNamespace, after);
        var matching = candidates
            .Where(item => (pinnedName is null || item.Key.Name == pinnedName)
                && request.Labels.Matches(item.Labels)
                && (request.Fields.IsEmpty || request.Fields.Matches(item)));
        if (request.Limit is not > 0)
        {
            return new ListPage([.. matching], listVersion, null, null);
        }

        var limit = request.Limit.Value;
        var page = new List<StoredObject>(Math.Min(limit, 1024));
        var more = false;
        foreach (var item in matching)
        {
            if (page.Count == limit)
            {
                more = true;
                break;
            }

            page.Add(item);
        }

        // As in Kubernetes, remainingItemCount is reported only for lists without selectors, where every candidate
        // after the page is one that remains.
        long? remaining = request.Labels.IsEmpty && request.Fields.IsEmpty && more ? candidates.Count - page.Count : null;
        return more
            ? new ListPage(page, listVersion, new ContinueToken(listVersion, page[^1].Key).Encode(), remaining)
            : new ListPage(page, listVersion, null, null);
    }

    private static IReadOnlyList<StoredObject> Pinned(StoreSnapshot snapshot, ResourceType type, ObjectKey key, ObjectKey? after) =>
        (after is null || key > after.Value) && snapshot.Get(type.Collection, key) is { } found ? [found] : [];

    /// <summary>
    /// Starts a watch. resourceVersion "" or "0" replays the current state as ADDED events; a number replays history
    /// after it, and one older than the window is <see cref="ResourceVersionTooOldException"/>.
    /// </summary>
    public WatchSubscription Watch(ResourceType type, string? inNamespace, string? resourceVersion)
    {
        long? from = null;
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
        {
            if (!long.TryParse(resourceVersion, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                throw ApiException.BadRequest($"invalid resource version: \"{resourceVersion}\"");
            }

            from = parsed;
        }

        return store.Subscribe(type.Collection, type.Namespaced ? inNamespace : null, from);
    }

    public JsonObject Create(ResourceType type, string inNamespace, JsonObject body, WriteRequest request)
    {
        var metadata = ObjectMetadata.Of(body);
        if (type.Namespaced && ObjectMetadata.Namespace(body) is { Length: > 0 } bodyNamespace && bodyNamespace != inNamespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var name = ObjectMetadata.Name(body);
        if (string.IsNullOrEmpty(name))
        {
            var prefix = ObjectMetadata.Text(body, "generateName");
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiException.Invalid(type, string.Empty, [new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
            }

            name = prefix + new string([.. Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)])]);
            metadata["name"] = name;
        }

        var key = new ObjectKeyText(Scope(type, inNamespace), name);
        RequireWritableNamespace(type, key.Namespace);
        var result = Write(type, new ObjectKey(key.Namespace, key.Name), current =>
        {
            if (current is not null)
            {
                throw ApiException.AlreadyExists(type, name);
            }

            return new WriteDecision.Put(admission.Admit(new AdmissionRequest(type, key, null, body, null, request.Manager, WriteKind.Create, DecodePolicy(type, request))));
        }, request.DryRun);
        return Committed(type, result, request.DryRun);
    }

    public JsonObject Update(ResourceType type, string inNamespace, string name, string? subresource, JsonObject body, WriteRequest request)
    {
        if (ObjectMetadata.Name(body) is { Length: > 0 } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var key = new ObjectKeyText(Scope(type, inNamespace), name);
        var result = Write(type, new ObjectKey(key.Namespace, key.Name), current =>
        {
            var before = current?.ToJsonObject() ?? throw ApiException.NotFound(type, name);
            if (type.IsCustom && string.IsNullOrEmpty(ObjectMetadata.ResourceVersion(body)))
            {
                // Custom resources do not allow unconditional updates (built-in kinds do).
                throw ApiException.Invalid(type, name, [new StatusCause("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")]);
            }

            RequireResourceVersion(type, name, current, ObjectMetadata.ResourceVersion(body));
            var admitted = admission.Admit(new AdmissionRequest(type, key, before, body, subresource, request.Manager, WriteKind.Update, DecodePolicy(type, request)));
            return Decide(before, admitted);
        }, request.DryRun);
        return Committed(type, result, request.DryRun);
    }

    public JsonObject Patch(ResourceType type, string inNamespace, string name, string? subresource, PatchRequest patch, WriteRequest request)
    {
        var key = new ObjectKeyText(Scope(type, inNamespace), name);
        if (patch.Type == PatchType.Apply)
        {
            RequireApplyBody(type, key, patch.Patch);
            if (store.Snapshot.Get(type.Collection, new ObjectKey(key.Namespace, key.Name)) is null)
            {
                RequireWritableNamespace(type, key.Namespace);
            }
        }

        var schema = admission.SchemaFor(type, schemas);
        var result = Write(type, new ObjectKey(key.Namespace, key.Name), current =>
        {
            if (current is null && patch.Type != PatchType.Apply)
            {
                throw ApiException.NotFound(type, name);
            }

            if (current is null && subresource is not null)
            {
                throw ApiException.NotFound(type, name);
            }

            if (current is null)
            {
                request.AuthorizeCreate?.Invoke();
            }

            var before = current?.ToJsonObject();
            if (patch.Type == PatchType.Apply)
            {
                RequireAppliedIdentity(type, name, current, before, patch.Patch.AsObject());
            }

            var patched = ApplyPatch(type, before, patch, subresource, schema, request);
            RequireResourceVersion(type, name, current, ObjectMetadata.ResourceVersion(patched));
            var kind = patch.Type == PatchType.Apply ? WriteKind.Apply : WriteKind.Update;
            var undeclared = kind == WriteKind.Apply ? null : PatchPolicy(patched, request);
            var admitted = admission.Admit(new AdmissionRequest(type, key, before, patched, subresource, request.Manager, kind, undeclared));
            return before is null ? new WriteDecision.Put(admitted) : Decide(before, admitted);
        }, request.DryRun);
        return Committed(type, result, request.DryRun);
    }

    public JsonObject Delete(ResourceType type, string inNamespace, string name, DeleteRequest request)
    {
        var key = new ObjectKey(Scope(type, inNamespace), name);
        var result = Write(type, key, current =>
        {
            var obj = current?.ToJsonObject() ?? throw ApiException.NotFound(type, name);
            if (request.PreconditionUid is { Length: > 0 } uid && uid != ObjectMetadata.Uid(obj))
            {
                throw ApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {ObjectMetadata.Uid(obj)}");
            }

            if (request.PreconditionResourceVersion is { Length: > 0 } version && version != ObjectMetadata.ResourceVersion(obj))
            {
                throw ApiException.Conflict(type, name, $"Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {ObjectMetadata.ResourceVersion(obj)}");
            }

            var finalizers = ObjectMetadata.Finalizers(obj);
            var policyFinalizer = request.PropagationPolicy switch
            {
                "Foreground" => DeletionFinalizers.Foreground,
                "Orphan" => DeletionFinalizers.Orphan,
                null or "" or "Background" => null,
                var other => throw ApiException.BadRequest($"Unsupported propagationPolicy: \"{other}\""),
            };
            if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
            {
                finalizers.Add(policyFinalizer);
            }

            var isNamespace = IsNamespace(type);
            if (finalizers.Count == 0 && !isNamespace)
            {
                return new WriteDecision.Remove(obj);
            }

            var alreadyDeleting = ObjectMetadata.DeletionTimestamp(obj) is not null;
            if (alreadyDeleting && finalizers.SequenceEqual(ObjectMetadata.Finalizers(obj)))
            {
                return new WriteDecision.Keep();
            }

            var metadata = ObjectMetadata.Of(obj);
            ObjectMetadata.SetFinalizers(obj, finalizers);
            if (!alreadyDeleting)
            {
                metadata["deletionTimestamp"] = ObjectMetadata.Timestamp(time.GetUtcNow());
                metadata["deletionGracePeriodSeconds"] = 0;
                if (ObjectMetadata.Generation(obj) > 0)
                {
                    metadata["generation"] = ObjectMetadata.Generation(obj) + 1;
                }
            }

            if (isNamespace)
            {
                obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            }

            return new WriteDecision.Put(obj);
        }, request.DryRun);
        if (!request.DryRun && result.Outcome == WriteOutcome.Deleted)
        {
            customResources.OnDeleted(type, result.Object!);
        }

        return AsVersion(type, result.Object!);
    }

    /// <summary>The autoscaling/v1 Scale view of an object with a scale subresource.</summary>
    public JsonObject GetScale(ResourceType type, string inNamespace, string name) =>
        ScaleView.From(type, RequireScale(type), Get(type, inNamespace, name));

    /// <summary>Writes a Scale (from PUT, or a patch applied to the current Scale) into the object's replicas.</summary>
    public JsonObject UpdateScale(ResourceType type, string inNamespace, string name, Func<JsonObject, JsonObject> newScale, WriteRequest request)
    {
        var scale = RequireScale(type);
        var key = new ObjectKeyText(Scope(type, inNamespace), name);
        var result = Write(type, new ObjectKey(key.Namespace, key.Name), current =>
        {
            var before = current?.ToJsonObject() ?? throw ApiException.NotFound(type, name);
            var requested = newScale(ScaleView.From(type, scale, before));
            RequireResourceVersion(type, name, current, ObjectMetadata.ResourceVersion(requested));
            var replicas = requested["spec"]?["replicas"] as JsonValue;
            if (replicas is null || !replicas.TryGetValue<long>(out var count) || count < 0)
            {
                throw ApiException.Invalid(new ResourceType("autoscaling", "v1", "scale", "Scale", "scale", true, [], false, null, []), name,
                    [new StatusCause("FieldValueInvalid", "Invalid value: must be greater than or equal to 0", "spec.replicas")]);
            }

            var after = before.DeepClone().AsObject();
            ScaleView.SetAt(after, scale.SpecReplicasPath, JsonValue.Create(count));
            var admitted = admission.Admit(new AdmissionRequest(type, key, before, after, "scale", request.Manager, WriteKind.Update));
            return Decide(before, admitted);
        }, request.DryRun);
        return ScaleView.From(type, scale, Committed(type, result, request.DryRun));
    }

    /// <summary>The schema patches of the Scale view use.</summary>
    public TypeSchema ScaleSchema() => schemas().Get("autoscaling", "v1", "Scale");

    /// <summary>Applies a non-apply patch to a plain document (used for the Scale view).</summary>
    public static JsonObject PatchDocument(JsonObject target, PatchRequest patch, TypeSchema schema)
    {
        try
        {
            return patch.Type switch
            {
                PatchType.Merge => JsonMergePatch.Apply(target, patch.Patch) as JsonObject,
                PatchType.Json => JsonPatch.Apply(target, patch.Patch as JsonArray ?? throw ApiException.BadRequest($"json: cannot unmarshal {GoJsonKind(patch.Patch)} into Go value of type jsonpatch.Patch")) as JsonObject,
                PatchType.Strategic => StrategicMergePatch.Apply(target, patch.Patch, schema) as JsonObject,
                _ => throw ApiException.UnsupportedMediaType("application/apply-patch+yaml"),
            } ?? throw ApiException.BadRequest("the patch must produce an object");
        }
        catch (PatchException error) when (patch.Type == PatchType.Json && error.StatusCode == 422)
        {
            throw ApiException.JsonPatchNotApplicable(error.Message);
        }
        catch (PatchException error)
        {
            throw error.StatusCode == 400 ? ApiException.BadRequest(error.Message) : ApiException.ForCode(error.StatusCode, error.Message);
        }
    }

    // How Go's encoding/json names a JSON value it cannot decode into a slice.
    private static string GoJsonKind(JsonNode node) => node.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Object => "object",
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.Number => "number",
        _ => "bool",
    };

    internal static bool IsNamespace(ResourceType type) => type.Group.Length == 0 && type.Resource == "namespaces";

    private JsonObject ApplyPatch(ResourceType type, JsonObject? before, PatchRequest patch, string? subresource, TypeSchema schema, WriteRequest request)
    {
        if (patch.Type == PatchType.Strategic && type.IsCustom)
        {
            throw ApiException.UnsupportedMediaType("application/strategic-merge-patch+json");
        }

        if (patch.Type != PatchType.Apply)
        {
            return PatchDocument(before!.DeepClone().AsObject(), patch, schema);
        }

        RequireDeclaredFields(type, patch.Patch.AsObject(), schema);
        var applied = patch.Patch.AsObject();
        ApplyOutcome outcome;
        try
        {
            outcome = FieldManager.Apply(before, applied.DeepClone().AsObject(), request.Manager, request.Force, schema, time.GetUtcNow(), subresource);
            if (outcome.Conflicts.Count > 0 && request.Manager == LastAppliedConfiguration.KubectlManager && before is not null)
            {
                // kubectl moving from client-side to server-side apply: conflicts on what it applied client-side are forced.
                var unexcused = LastAppliedConfiguration.Unexcused(before, outcome.Conflicts, schema);
                outcome = unexcused.Count == 0
                    ? FieldManager.Apply(before, applied.DeepClone().AsObject(), request.Manager, force: true, schema, time.GetUtcNow(), subresource)
                    : new ApplyOutcome(null, unexcused);
            }

            if (outcome.Conflicts.Count == 0)
            {
                ActOnAppliedDuplicateKeys(request);
            }

            if (outcome.Result is { } result && request.Manager == LastAppliedConfiguration.KubectlManager)
            {
                LastAppliedConfiguration.Refresh(result, applied);
            }
        }
        catch (PatchException error)
        {
            throw error.StatusCode == 400 ? ApiException.BadRequest(error.Message) : ApiException.ForCode(error.StatusCode, error.Message);
        }

        if (outcome.Conflicts.Count > 0)
        {
            throw ApplyConflicts(outcome.Conflicts);
        }

        return outcome.Result ?? throw ApiException.Internal("server-side apply produced no object");
    }

    // kube-apiserver decodes an applied configuration leniently (a repeated key keeps its last value) and, once the
    // apply has merged without conflicts, decodes it again strictly: Strict refuses with 400, Warn warns.
    private static void ActOnAppliedDuplicateKeys(WriteRequest request)
    {
        switch (request.Validation)
        {
            case FieldValidation.Strict when request.Duplicates.Errors.Count > 0:
                throw ApiException.BadRequest($"error strict decoding YAML: error converting YAML to JSON: {string.Join(", ", request.Duplicates.Errors)}");
            case FieldValidation.Warn:
                foreach (var warning in request.Duplicates.Warnings)
                {
                    request.Warnings?.Add(warning);
                }

                break;
        }
    }

    private static UndeclaredFieldPolicy DecodePolicy(ResourceType type, WriteRequest request) =>
        new(request.Validation, errors => FieldValidationDirective.StrictDecodeError(type, errors), request.Warnings) { Duplicates = request.Duplicates };

    private static UndeclaredFieldPolicy PatchPolicy(JsonObject patched, WriteRequest request) =>
        new(request.Validation, errors => FieldValidationDirective.StrictPatchError(patched.ToJsonString(), errors), request.Warnings) { Duplicates = request.Duplicates };

    // kube-apiserver converts an applied configuration to its typed form before merging, and that fails on any field
    // the schema does not declare, whatever fieldValidation says: a 500 with no reason, worded as structured-merge-diff
    // and the field manager word it.
    private static void RequireDeclaredFields(ResourceType type, JsonObject applied, TypeSchema schema)
    {
        var undeclared = UndeclaredFields.Find(applied, schema);
        if (undeclared.Count == 0)
        {
            return;
        }

        var errors = undeclared.Select(field => $"{field.ApplyPath}: field not declared in schema").ToList();
        var detail = errors.Count == 1 ? errors[0] : "errors:\n  " + string.Join("\n  ", errors);
        var namespacedName = $"{ObjectMetadata.Namespace(applied) ?? string.Empty}/{ObjectMetadata.Name(applied) ?? string.Empty}";
        var gvk = $"{type.GroupVersion}, Kind={type.Kind}";
        throw new ApiException(500, string.Empty, $"failed to create typed patch object ({namespacedName}; {(type.Group.Length == 0 ? "/" : "")}{gvk}): {detail}");
    }

    // As kube-apiserver's NewApplyConflict: the Status names no object, only the conflicting fields as causes.
    private static ApiException ApplyConflicts(IReadOnlyList<FieldConflict> conflicts) =>
        new(409, "Conflict", ApplyOutcome.Describe(conflicts))
        {
            Causes = [.. conflicts.Select(conflict => new StatusCause("FieldManagerConflict", $"conflict with {conflict.DescribeManager()}", conflict.Path))],
        };

    private static void RequireApplyBody(ResourceType type, ObjectKeyText key, JsonNode body)
    {
        if (body is not JsonObject obj)
        {
            throw ApiException.BadRequest("apply patch must be an object");
        }

        if (obj["apiVersion"] is null || obj["kind"] is null)
        {
            throw ApiException.BadRequest("apiVersion and kind must be set in an apply patch");
        }

        if (ObjectMetadata.Name(obj) is { Length: > 0 } bodyName && bodyName != key.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({key.Name})");
        }

        if (obj["kind"]!.GetValue<string>() != type.Kind)
        {
            throw ApiException.BadRequest($"the kind of the object ({obj["kind"]}) does not match the resource ({type.Kind})");
        }

        if (type.Namespaced && ObjectMetadata.Namespace(obj) is { Length: > 0 } bodyNamespace && bodyNamespace != key.Namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (obj["metadata"]?["managedFields"] is not null)
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }
    }

    /// <summary>
    /// An applied uid or resourceVersion is a precondition, as in kube-apiserver: a uid must be the object's (422
    /// immutable field; 409 when there is no object), a resourceVersion its current one (409).
    /// </summary>
    private static void RequireAppliedIdentity(ResourceType type, string name, StoredObject? current, JsonObject? before, JsonObject applied)
    {
        if (ObjectMetadata.Uid(applied) is { Length: > 0 } uid)
        {
            if (before is null)
            {
                throw ApiException.Conflict(type, name, $"uid mismatch: the provided object specified uid {uid}, and no existing object was found");
            }

            if (uid != ObjectMetadata.Uid(before))
            {
                throw ApiException.Invalid(type, name, [new StatusCause("FieldValueInvalid", $"Invalid value: \"{uid}\": field is immutable", "metadata.uid")]);
            }
        }

        RequireResourceVersion(type, name, current, ObjectMetadata.ResourceVersion(applied));
    }

    private static void RequireResourceVersion(ResourceType type, string name, StoredObject? current, string? requested)
    {
        if (!string.IsNullOrEmpty(requested) && current is not null
            && requested != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw ApiException.StaleResourceVersion(type, name);
        }
    }

    /// <summary>Store, delete (last finalizer gone) or skip (nothing changed).</summary>
    private static WriteDecision Decide(JsonObject before, JsonObject admitted)
    {
        if (ObjectMetadata.DeletionTimestamp(admitted) is not null && ObjectMetadata.Finalizers(admitted).Count == 0
            && (admitted["kind"]?.GetValue<string>() != "Namespace" || admitted["spec"]?["finalizers"] is not JsonArray { Count: > 0 }))
        {
            return new WriteDecision.Remove(admitted);
        }

        return Unchanged(before, admitted) ? new WriteDecision.Keep() : new WriteDecision.Put(admitted);
    }

    // Like kube-apiserver: a write that changes only managedFields timestamps is a no-op, but a change of
    // ownership (a new co-owner, a field handed to another manager) is stored.
    private static bool Unchanged(JsonObject before, JsonObject admitted)
    {
        var left = before.DeepClone().AsObject();
        var right = admitted.DeepClone().AsObject();
        foreach (var side in new[] { left, right })
        {
            var metadata = ObjectMetadata.Of(side);
            metadata.Remove("resourceVersion");
            foreach (var entry in (metadata["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                entry.Remove("time");
            }
        }

        return JsonNode.DeepEquals(left, right);
    }

    private JsonObject Committed(ResourceType type, WriteResult result, bool dryRun)
    {
        if (!dryRun && result.Outcome is WriteOutcome.Created or WriteOutcome.Updated)
        {
            customResources.OnStored(type, result.Object!);
        }
        else if (!dryRun && result.Outcome == WriteOutcome.Deleted)
        {
            customResources.OnDeleted(type, result.Object!);
        }

        return AsVersion(type, result.Object!);
    }

    private void RequireWritableNamespace(ResourceType type, string inNamespace)
    {
        if (!type.Namespaced)
        {
            return;
        }

        var namespaces = catalog.Find("", "v1", "namespaces")!;
        var stored = store.Snapshot.Get(namespaces.Collection, new ObjectKey("", inNamespace)) ?? throw ApiException.NamespaceNotFound(inNamespace);
        if (ObjectMetadata.DeletionTimestamp(stored.ToJsonObject()) is not null)
        {
            throw new ApiException(403, "Forbidden", $"{ApiException.Qualified(type)} is forbidden: unable to create new content in namespace {inNamespace} because it is being terminated");
        }
    }

    private static string Scope(ResourceType type, string inNamespace) => type.Namespaced ? inNamespace : string.Empty;

    private static ScaleSubresource RequireScale(ResourceType type) =>
        type.Scale ?? throw ApiException.NotFound(type, "scale");

    private static JsonObject AsVersion(ResourceType type, JsonObject obj) => ServedVersion.Present(type, obj);

    /// <summary>
    /// A store write in the version <paramref name="type"/> serves: <paramref name="decide"/> sees the current object
    /// converted to that version, and what it decides is converted back to the stored version.
    /// </summary>
    private WriteResult Write(ResourceType type, ObjectKey key, Func<StoredObject?, WriteDecision> decide, bool dryRun = false) =>
        store.Write(type.Collection, key, current => ToStored(type, decide(current is null ? null : Served(type, current))), dryRun);

    private static StoredObject Served(ResourceType type, StoredObject current) =>
        current.ApiVersion == type.GroupVersion || !ServedVersion.IsEventsApi(type)
            ? current
            : StoredObject.From(current.Type, current.Key, current.ResourceVersion, ServedVersion.Present(type, current.ToJsonObject()));

    private static WriteDecision ToStored(ResourceType type, WriteDecision decision) => !ServedVersion.IsEventsApi(type) ? decision : decision switch
    {
        WriteDecision.Put put => new WriteDecision.Put(ServedVersion.Stored(type, put.Object)),
        WriteDecision.Remove remove => new WriteDecision.Remove(ServedVersion.Stored(type, remove.FinalState)),
        _ => decision,
    };
}
