// The garbage collector and namespace controller. After any change it sweeps the store:
// - an object whose ownerReferences all name uids that no longer exist is deleted (background);
// - an object being deleted with the foregroundDeletion finalizer has its dependents deleted (foreground), and the
//   finalizer is removed once none are left;
// - an object being deleted with the orphan finalizer has itself removed from its dependents' ownerReferences,
//   then the finalizer is removed;
// - a namespace being deleted has its content deleted, then its "kubernetes" finalizer removed.
// Every change goes through ResourceService, so finalizers and concurrency rules apply; a write that loses a
// race is simply retried by the next sweep.
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

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var changes = service.Store.Subscribe(null, null, service.Store.Snapshot.ResourceVersion);
        Sweep();
        try
        {
            while (await changes.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var relevant = false;
                while (changes.Events.TryRead(out var change))
                {
                    relevant |= change.Type == WatchEventType.Deleted || change.Object.Deleting || change.Object.OwnerUids.Count > 0;
                }

                if (relevant)
                {
                    Sweep();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass over the store; returns how many writes it made.</summary>
    public int Sweep()
    {
        var snapshot = service.Store.Snapshot;
        var items = snapshot.AllItems().ToList();
        var live = items.Where(item => item.Uid.Length > 0).Select(item => item.Uid).ToHashSet(StringComparer.Ordinal);
        var dependents = items.Where(item => item.OwnerUids.Count > 0)
            .SelectMany(item => item.OwnerUids.Select(owner => (owner, item)))
            .ToLookup(pair => pair.owner, pair => pair.item, StringComparer.Ordinal);
        var writes = 0;
        foreach (var item in items)
        {
            try
            {
                writes += Collect(item, live, dependents, snapshot);
            }
            catch (ApiException error) when (error.Code is 404 or 409)
            {
                // Someone else changed or removed it meanwhile; the next sweep looks again.
            }
        }

        return writes;
    }

    private int Collect(StoredObject item, HashSet<string> live, ILookup<string, StoredObject> dependents, StoreSnapshot snapshot)
    {
        var writes = 0;
        if (item.Deleting && IsNamespace(item))
        {
            writes += FinishNamespace(item, snapshot);
        }

        if (item.Deleting && item.Finalizers.Contains(DeletionFinalizers.Foreground))
        {
            var waiting = dependents[item.Uid].ToList();
            foreach (var dependent in waiting.Where(dependent => !dependent.Deleting))
            {
                writes += Delete(dependent, "Foreground");
            }

            if (waiting.Count == 0)
            {
                writes += RemoveFinalizer(item, DeletionFinalizers.Foreground);
            }
        }

        if (item.Deleting && item.Finalizers.Contains(DeletionFinalizers.Orphan))
        {
            foreach (var dependent in dependents[item.Uid])
            {
                writes += RemoveOwner(dependent, item.Uid);
            }

            writes += RemoveFinalizer(item, DeletionFinalizers.Orphan);
        }

        if (!item.Deleting && item.OwnerUids.Count > 0 && item.OwnerUids.All(owner => !live.Contains(owner)))
        {
            logger.LogDebug("Collecting {Type} {Key}: its owners are gone", item.Type, item.Key);
            writes += Delete(item, "Background");
        }

        return writes;
    }

    private int FinishNamespace(StoredObject ns, StoreSnapshot snapshot)
    {
        var content = snapshot.AllItems().Where(item => item.Key.Namespace == ns.Key.Name).ToList();
        foreach (var item in content.Where(item => !item.Deleting))
        {
            Delete(item, "Background");
        }

        if (content.Count > 0)
        {
            return content.Count;
        }

        var obj = ns.ToJsonObject();
        if (obj["spec"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            return 0;
        }

        obj["spec"]!.AsObject().Remove("finalizers");
        Update(ns, obj);
        return 1;
    }

    private int Delete(StoredObject item, string policy)
    {
        service.Delete(TypeOf(item), item.Key.Namespace, item.Key.Name, new DeleteRequest(policy, PreconditionUid: item.Uid));
        return 1;
    }

    private int RemoveFinalizer(StoredObject item, string finalizer)
    {
        var obj = item.ToJsonObject();
        ObjectMetadata.SetFinalizers(obj, [.. ObjectMetadata.Finalizers(obj).Where(existing => existing != finalizer)]);
        Update(item, obj);
        return 1;
    }

    private int RemoveOwner(StoredObject dependent, string ownerUid)
    {
        var obj = dependent.ToJsonObject();
        var metadata = ObjectMetadata.Of(obj);
        var remaining = new JsonArray([.. (metadata["ownerReferences"] as JsonArray ?? [])
            .Where(reference => reference?["uid"]?.GetValue<string>() != ownerUid)
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
        return 1;
    }

    private void Update(StoredObject item, JsonObject obj)
    {
        ObjectMetadata.Of(obj)["resourceVersion"] = item.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        service.Update(TypeOf(item), item.Key.Namespace, item.Key.Name, null, obj, new WriteRequest(FieldManager));
    }

    private ResourceType TypeOf(StoredObject item) =>
        service.Catalog.All.FirstOrDefault(type => type.Collection == item.Type)
        ?? throw ApiException.Internal($"no served resource stores {item.Type}");

    private static bool IsNamespace(StoredObject item) => item.Type.Group.Length == 0 && item.Type.Resource == "namespaces";
}
