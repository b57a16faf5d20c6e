// Brings one child to its desired configuration with as few API calls as possible. Invariants:
// - an object not controlled by the owning resource is never written or deleted (Conflict instead);
// - when the fields the operator applied to the live child are still exactly the desired ones (compared through
//   their fingerprints, see AppliedFieldsFingerprint), nothing is sent: steady state costs no writes, and a
//   field anyone else changed, took over or removed is written back;
// - before a Deployment's replica count passes to an autoscaler, a separate field manager takes co-ownership
//   of spec.replicas at its live value, so the operator's next apply (without replicas) does not reset it to
//   the default of 1 (the hand-over the server-side apply documentation describes).
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Runtime.Apply;
using Operator.Runtime.Cache;

namespace Operator.Celery.Reconciliation;

/// <summary>Applies, compares and deletes children of a Celery resource.</summary>
public sealed class ChildApplier(ServerSideApplyClient client)
{
    /// <summary>Field manager that holds spec.replicas during the hand-over to an autoscaler.</summary>
    public const string HandoverFieldManager = "celery-operator-handover";

    public async Task<ChildOutcome> EnsureAsync(IOwnedObjects cache, CeleryResource owner, IKubernetesObject<V1ObjectMeta> child, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(child);
        var desired = ToJson(child);
        AppliedConfigurationHash.Stamp(desired, CeleryLabels.AppliedHashAnnotation);
        var name = child.Metadata.Name;
        var @namespace = child.Metadata.NamespaceProperty;

        // The cache holds only objects carrying our labels; one missing from it may still exist (labels
        // edited away, or our own create not yet observed), so ask the API before writing.
        var live = cache.Get(@namespace, name) is { } cached
            ? LiveChild.Of(cached)
            : await client.GetAsync(cache.Resource, @namespace, name, cancellationToken).ConfigureAwait(false) is { } fetched
                ? LiveChild.Of(fetched, CeleryControllerSettings.FieldManager)
                : null;
        if (live is not null)
        {
            if (live.ControllerUid != owner.Metadata.Uid)
            {
                return new ChildOutcome(ChildAction.Conflict, child.Kind, name,
                    live.ControllerUid is null ? "an object of this name exists and is not controlled by this resource" : "an object of this name is controlled by another owner");
            }

            if (live.Fingerprint == AppliedFieldsFingerprint.OfDesired(desired))
            {
                return new ChildOutcome(ChildAction.Unchanged, child.Kind, name);
            }

            await HandOverReplicasIfNeededAsync(cache, desired, live, cancellationToken).ConfigureAwait(false);
        }

        await client.ApplyAsync(cache.Resource, desired, cancellationToken).ConfigureAwait(false);
        return new ChildOutcome(live is null ? ChildAction.Created : ChildAction.Updated, child.Kind, name);
    }

    /// <summary>Deletes a child this resource controls (uid precondition: never another object of the same name).</summary>
    public async Task<ChildOutcome> DeleteAsync(IOwnedObjects cache, IKubernetesObject<V1ObjectMeta> child, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(child);
        await client.DeleteAsync(cache.Resource, child.Metadata.NamespaceProperty, child.Metadata.Name, child.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        return new ChildOutcome(ChildAction.Deleted, cache.Resource.Kind, child.Metadata.Name);
    }

    private async Task HandOverReplicasIfNeededAsync(IOwnedObjects cache, JsonObject desired, LiveChild live, CancellationToken cancellationToken)
    {
        if (desired["kind"]?.GetValue<string>() != "Deployment"
            || desired["metadata"]?["annotations"]?[CeleryLabels.ReplicasOwnerAnnotation]?.GetValue<string>() != CeleryLabels.ReplicasOwnerAutoscaler
            || live.ReplicasOwner == CeleryLabels.ReplicasOwnerAutoscaler
            || live.Replicas is not { } replicas)
        {
            return;
        }

        var handover = new JsonObject
        {
            ["apiVersion"] = desired["apiVersion"]!.DeepClone(),
            ["kind"] = desired["kind"]!.DeepClone(),
            ["metadata"] = new JsonObject { ["name"] = desired["metadata"]!["name"]!.DeepClone(), ["namespace"] = desired["metadata"]!["namespace"]?.DeepClone() },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
        };
        await client.ApplyAsync(cache.Resource, handover, cancellationToken, HandoverFieldManager, force: false).ConfigureAwait(false);
    }

    private static JsonObject ToJson(object obj) => (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(obj))!;

    /// <summary>What the applier needs to know of a live child, from the cache or from a GET.</summary>
    private sealed record LiveChild(string? ControllerUid, string? Fingerprint, string? ReplicasOwner, int? Replicas)
    {
        public static LiveChild Of(IKubernetesObject<V1ObjectMeta> cached) => new(
            cached.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid,
            AppliedFieldsFingerprint.OfCached(cached),
            cached.Metadata.Annotations?.TryGetValue(CeleryLabels.ReplicasOwnerAnnotation, out var owner) == true ? owner : null,
            (cached as V1Deployment)?.Spec?.Replicas);

        public static LiveChild Of(JsonObject fetched, string fieldManager)
        {
            using var document = JsonDocument.Parse(fetched.ToJsonString());
            return new(
                (fetched["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true)?["uid"]?.GetValue<string>(),
                AppliedFieldsFingerprint.OfLive(document.RootElement, fieldManager),
                fetched["metadata"]?["annotations"]?[CeleryLabels.ReplicasOwnerAnnotation]?.GetValue<string>(),
                fetched["spec"]?["replicas"]?.GetValue<int>());
        }
    }
}
