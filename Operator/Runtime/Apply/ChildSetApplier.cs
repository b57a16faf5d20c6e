// Executes a ChildSet with as few API calls as possible, for any domain. Invariants:
// - an object not controlled by the set's owner is never written or deleted (Conflict instead);
// - when the fields the operator applied to the live child are still exactly the desired ones (compared through
//   their fingerprints, see AppliedFieldsFingerprint), nothing is sent: steady state costs no writes, and a
//   field anyone else changed, took over or removed is written back;
// - a Deployment's replicas pass to an autoscaler through a hand-over (ReplicasHandOver) before the apply that
//   drops them;
// - deletes run only after every apply succeeded, so a failed pass never leaves an owner without a child it still
//   wants; the first failing call ends the pass with its KubernetesApiException.
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Operator.Runtime.Cache;

namespace Operator.Runtime.Apply;

/// <summary>Applies, compares and deletes the children of one owner, reading live children from the owned caches.</summary>
public sealed class ChildSetApplier
{
    private readonly IReadOnlyList<IOwnedObjects> caches;
    private readonly ServerSideApplyClient client;
    private readonly ReplicasHandOver handOver;
    private readonly string? appliedHashAnnotation;

    /// <param name="caches">One per kind the applier may write; a child of any other kind is a programming error.</param>
    /// <param name="appliedHashAnnotation">When set, every desired child is stamped with its <see cref="AppliedConfigurationHash"/> under this annotation.</param>
    public ChildSetApplier(IReadOnlyList<IOwnedObjects> caches, ServerSideApplyClient client, ReplicasHandOver handOver, string? appliedHashAnnotation = null)
    {
        ArgumentNullException.ThrowIfNull(caches);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handOver);
        this.caches = caches;
        this.client = client;
        this.handOver = handOver;
        this.appliedHashAnnotation = appliedHashAnnotation;
    }

    /// <summary>Applies then deletes; the outcomes in that order, one per child.</summary>
    /// <exception cref="Source.KubernetesApiException">A call failed; nothing after it was sent.</exception>
    public async Task<IReadOnlyList<ChildOutcome>> ApplyAsync(ChildSet set, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        var outcomes = new List<ChildOutcome>(set.Apply.Count + set.Delete.Count);
        foreach (var child in set.Apply)
        {
            outcomes.Add(await EnsureAsync(set.OwnerUid, child, cancellationToken).ConfigureAwait(false));
        }

        foreach (var obsolete in set.Delete)
        {
            await client.DeleteAsync(obsolete.Resource, obsolete.Namespace, obsolete.Name, obsolete.Uid, cancellationToken).ConfigureAwait(false);
            outcomes.Add(new ChildOutcome(ChildAction.Deleted, obsolete.Resource.Kind, obsolete.Name));
        }

        return outcomes;
    }

    private async Task<ChildOutcome> EnsureAsync(string ownerUid, DesiredChild child, CancellationToken cancellationToken)
    {
        var desired = (JsonObject)child.Desired.DeepClone();
        if (appliedHashAnnotation is not null)
        {
            AppliedConfigurationHash.Stamp(desired, appliedHashAnnotation);
        }

        var cache = CacheOf(child);

        // The cache holds only objects carrying our labels; one missing from it may still exist (labels
        // edited away, or our own create not yet observed), so ask the API before writing.
        var live = cache.Get(child.Namespace, child.Name) is { } cached
            ? LiveChild.Of(cached, handOver)
            : await client.GetAsync(child.Resource, child.Namespace, child.Name, cancellationToken).ConfigureAwait(false) is { } fetched
                ? LiveChild.Of(fetched, client.FieldManager, handOver)
                : null;
        if (live is not null)
        {
            if (live.ControllerUid != ownerUid)
            {
                return new ChildOutcome(ChildAction.Conflict, child.Kind, child.Name,
                    live.ControllerUid is null ? "an object of this name exists and is not controlled by this resource" : "an object of this name is controlled by another owner");
            }

            if (live.Fingerprint == AppliedFieldsFingerprint.OfDesired(desired))
            {
                return new ChildOutcome(ChildAction.Unchanged, child.Kind, child.Name);
            }

            await HandOverReplicasIfNeededAsync(child, desired, live, cancellationToken).ConfigureAwait(false);
        }

        await client.ApplyAsync(child.Resource, desired, cancellationToken).ConfigureAwait(false);
        return new ChildOutcome(live is null ? ChildAction.Created : ChildAction.Updated, child.Kind, child.Name);
    }

    private IOwnedObjects CacheOf(DesiredChild child) =>
        caches.FirstOrDefault(c => c.Resource == child.Resource)
        ?? throw new InvalidOperationException($"no owned cache for {child.Resource}: declare it with Owns");

    private async Task HandOverReplicasIfNeededAsync(DesiredChild child, JsonObject desired, LiveChild live, CancellationToken cancellationToken)
    {
        if (desired["kind"]?.GetValue<string>() != "Deployment"
            || desired["metadata"]?["annotations"]?[handOver.OwnerAnnotation]?.GetValue<string>() != handOver.AutoscalerValue
            || live.ReplicasOwner == handOver.AutoscalerValue
            || live.Replicas is not { } replicas)
        {
            return;
        }

        var claim = new JsonObject
        {
            ["apiVersion"] = desired["apiVersion"]!.DeepClone(),
            ["kind"] = desired["kind"]!.DeepClone(),
            ["metadata"] = new JsonObject { ["name"] = child.Name, ["namespace"] = child.Namespace },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
        };
        await client.ApplyAsync(child.Resource, claim, cancellationToken, handOver.FieldManager, force: false).ConfigureAwait(false);
    }

    /// <summary>What the applier needs to know of a live child, from the cache or from a GET.</summary>
    private sealed record LiveChild(string? ControllerUid, FieldsFingerprint? Fingerprint, string? ReplicasOwner, int? Replicas)
    {
        public static LiveChild Of(IFingerprinted cached, ReplicasHandOver handOver) => new(
            cached.Object.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid,
            cached.AppliedFingerprint,
            cached.Object.Metadata.Annotations?.TryGetValue(handOver.OwnerAnnotation, out var owner) == true ? owner : null,
            (cached.Object as V1Deployment)?.Spec?.Replicas);

        public static LiveChild Of(JsonObject fetched, string fieldManager, ReplicasHandOver handOver)
        {
            using var document = JsonDocument.Parse(fetched.ToJsonString());
            return new(
                (fetched["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => o["controller"]?.GetValue<bool>() == true)?["uid"]?.GetValue<string>(),
                AppliedFieldsFingerprint.OfLive(document.RootElement, fieldManager),
                fetched["metadata"]?["annotations"]?[handOver.OwnerAnnotation]?.GetValue<string>(),
                fetched["spec"]?["replicas"]?.GetValue<int>());
        }
    }
}
