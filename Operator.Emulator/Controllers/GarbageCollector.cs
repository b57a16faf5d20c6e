// The garbage collector and namespace controller. Rules:
// - an object whose owners are all gone is deleted (background); one that still has an owner loses its references
//   to owners that are gone or waiting in foreground deletion;
// - an object being deleted with the foregroundDeletion finalizer has its dependents deleted (in the foreground
//   when they have dependents of their own), and the finalizer is removed once no dependent whose reference sets
//   blockOwnerDeletion is left (other dependents do not hold the owner, as in kube-controller-manager);
// - an object being deleted with the orphan finalizer has itself removed from its dependents' ownerReferences,
//   then the finalizer is removed;
// - a namespace being deleted has its content deleted, then its "kubernetes" finalizer removed.
// Incremental: each change marks only the objects it can affect (GarbageCollectionWork), and each is judged
// against a snapshot that includes that change, through the snapshot's uid, owner and namespace indexes. No pass
// scans the store, so a write costs the same with 10 objects stored or 100,000.
// Every change goes through ResourceService, so finalizers and concurrency rules apply; a write that loses a
// race (404, 409) marks its object for another look after a short pause.
using System.Globalization;
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Discovery;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Controllers;

/// <summary>Deletes dependents of deleted owners and the content of deleted namespaces.</summary>
public sealed class GarbageCollector(ResourceService service, ILogger<GarbageCollector> logger)
{
    public const string FieldManager = "garbage-collector";

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);
    private static readonly GroupResource Namespaces = new(string.Empty, "namespaces");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var changes = service.Store.Subscribe(null, null, service.Store.Snapshot.ResourceVersion);
        var work = new GarbageCollectionWork();
        var retry = new HashSet<ObjectRef>();
        var retryAt = 0L;
        var seen = changes.StartResourceVersion;
        work.AddStartingState(service.Store.SnapshotIncluding(seen));
        try
        {
            while (true)
            {
                while (changes.Events.TryRead(out var change))
                {
                    seen = change.ResourceVersion;
                    work.Add(change, service.Store);
                }

                if (retry.Count > 0 && Environment.TickCount64 >= retryAt)
                {
                    work.AddAll(retry);
                    retry.Clear();
                }

                if (work.IsEmpty)
                {
                    var pause = retry.Count > 0 ? TimeSpan.FromMilliseconds(Math.Max(1, retryAt - Environment.TickCount64)) : (TimeSpan?)null;
                    if (!await WaitForChangesAsync(changes, pause, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                var snapshot = service.Store.SnapshotIncluding(seen);
                foreach (var reference in work.Take())
                {
                    if (!TryCollect(reference, snapshot) && retry.Add(reference) && retry.Count == 1)
                    {
                        retryAt = Environment.TickCount64 + (long)RetryPause.TotalMilliseconds;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Judges one object (and acts on it) as of <paramref name="snapshot"/>; false when a write lost a race.</summary>
    private bool TryCollect(ObjectRef reference, StoreSnapshot snapshot)
    {
        var item = snapshot.Get(reference);
        if (item is null)
        {
            return true;
        }

        try
        {
            Collect(item, snapshot);
            return true;
        }
        catch (ApiException error) when (error.Code is 404 or 409)
        {
            logger.LogDebug("Garbage collection of {Object} lost a race: {Reason}", reference, error.Message);
            return false;
        }
    }

    /// <summary>True when there are changes to read or the <paramref name="pause"/> (if any) is over; false when closed.</summary>
    private static async Task<bool> WaitForChangesAsync(WatchSubscription changes, TimeSpan? pause, CancellationToken cancellationToken)
    {
        if (pause is not { } delay)
        {
            return await changes.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }

        using var pausing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        pausing.CancelAfter(delay);
        try
        {
            return await changes.Events.WaitToReadAsync(pausing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private void Collect(StoredObject item, StoreSnapshot snapshot)
    {
        if (item.Deleting && item.Type == Namespaces)
        {
            FinishNamespace(item, snapshot);
        }

        if (item.Deleting && item.Finalizers.Contains(DeletionFinalizers.Foreground))
        {
            foreach (var dependent in snapshot.DependentsOf(item.Uid).Where(dependent => !dependent.Deleting).ToList())
            {
                CollectDependent(dependent, snapshot);
            }

            // As kube-controller-manager: only dependents whose reference sets blockOwnerDeletion hold the owner back;
            // the others are deleted all the same, but the owner may go first.
            if (!snapshot.DependentsOf(item.Uid).Any(dependent => dependent.BlockingOwnerUids.Contains(item.Uid, StringComparer.Ordinal)))
            {
                RemoveFinalizer(item, DeletionFinalizers.Foreground);
                return;
            }
        }

        if (item.Deleting && item.Finalizers.Contains(DeletionFinalizers.Orphan))
        {
            foreach (var dependent in snapshot.DependentsOf(item.Uid).ToList())
            {
                RemoveOwners(dependent, [item.Uid]);
            }

            RemoveFinalizer(item, DeletionFinalizers.Orphan);
            return;
        }

        if (!item.Deleting && item.OwnerUids.Count > 0)
        {
            CollectDependent(item, snapshot);
        }
    }

    /// <summary>
    /// Judges an object that is not being deleted by its owners, as kube-controller-manager does: an owner is solid
    /// (exists and is not waiting for its dependents), dangling (gone) or waiting (foreground deletion). With a solid
    /// owner the object stays and loses its references to the others; otherwise it is deleted, in the foreground
    /// when an owner waits and it has dependents of its own.
    /// </summary>
    private void CollectDependent(StoredObject item, StoreSnapshot snapshot)
    {
        var hasSolidOwner = false;
        var ownerWaits = false;
        var released = new List<string>();
        foreach (var uid in item.OwnerUids.Distinct(StringComparer.Ordinal))
        {
            switch (snapshot.FindByUid(uid))
            {
                case null:
                    released.Add(uid);
                    break;
                case { Deleting: true } owner when owner.Finalizers.Contains(DeletionFinalizers.Foreground):
                    released.Add(uid);
                    ownerWaits = true;
                    break;
                default:
                    hasSolidOwner = true;
                    break;
            }
        }

        if (hasSolidOwner)
        {
            if (released.Count > 0)
            {
                logger.LogDebug("Dropping {Count} gone or deleting owners of {Type} {Key}: it has another owner", released.Count, item.Type, item.Key);
                RemoveOwners(item, released);
            }

            return;
        }

        logger.LogDebug("Collecting {Type} {Key}: its owners are gone or being deleted", item.Type, item.Key);
        if (ownerWaits && snapshot.DependentsOf(item.Uid).Any())
        {
            Delete(item, "Foreground");
            return;
        }

        // An orphan or foreground finalizer the object already carries is honoured, as by kube-controller-manager.
        Delete(item, item.Finalizers.Contains(DeletionFinalizers.Orphan) ? "Orphan"
            : item.Finalizers.Contains(DeletionFinalizers.Foreground) ? "Foreground" : "Background");
    }

    private void FinishNamespace(StoredObject ns, StoreSnapshot snapshot)
    {
        var content = snapshot.InNamespace(ns.Key.Name).ToList();
        foreach (var item in content.Where(item => !item.Deleting))
        {
            Delete(item, "Background");
        }

        if (content.Count > 0)
        {
            return;
        }

        var obj = ns.ToJsonObject();
        if (obj["spec"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            return;
        }

        obj["spec"]!.AsObject().Remove("finalizers");
        Update(ns, obj);
    }

    private void Delete(StoredObject item, string policy) =>
        service.Delete(TypeOf(item), item.Key.Namespace, item.Key.Name, new DeleteRequest(policy, PreconditionUid: item.Uid));

    private void RemoveFinalizer(StoredObject item, string finalizer)
    {
        var obj = item.ToJsonObject();
        ObjectMetadata.SetFinalizers(obj, [.. ObjectMetadata.Finalizers(obj).Where(existing => existing != finalizer)]);
        Update(item, obj);
    }

    private void RemoveOwners(StoredObject dependent, IReadOnlyCollection<string> ownerUids)
    {
        var obj = dependent.ToJsonObject();
        var metadata = ObjectMetadata.Of(obj);
        var remaining = new JsonArray([.. (metadata["ownerReferences"] as JsonArray ?? [])
            .Where(reference => !ownerUids.Contains(reference?["uid"]?.GetValue<string>() ?? string.Empty))
            .Select(reference => reference!.DeepClone())]);
        if (remaining.Count == 0)
        {
            metadata.Remove("ownerReferences");
        }
        else
        {
            metadata["ownerReferences"] = remaining;
        }

        Update(dependent, obj);
    }

    private void Update(StoredObject item, JsonObject obj)
    {
        ObjectMetadata.Of(obj)["resourceVersion"] = item.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        service.Update(TypeOf(item), item.Key.Namespace, item.Key.Name, null, obj, new WriteRequest(FieldManager));
    }

    // A collection served at several versions (CRD versions, core and events.k8s.io Events) is written back in the
    // version the object is stored in, so no conversion happens on the way.
    private ResourceType TypeOf(StoredObject item) =>
        service.Catalog.All.FirstOrDefault(type => type.Collection == item.Type && type.GroupVersion == item.ApiVersion)
        ?? service.Catalog.All.FirstOrDefault(type => type.Collection == item.Type)
        ?? throw ApiException.Internal($"no served resource stores {item.Type}");
}
