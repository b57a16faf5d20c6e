// Handles a resource being deleted or gone. Children carry controller ownerReferences, so Kubernetes' garbage
// collector removes them, even while the operator is down; no finalizer is needed because the operator holds
// no state outside the cluster that the collector cannot clean. This reporter records the deletion and drops
// what the operator remembers of the resource.
using System.Collections.Concurrent;
using Operator.Celery.Model;
using Operator.Runtime;
using Operator.Runtime.Events;

namespace Operator.Celery.Reconciliation;

/// <summary>Deletion of a Celery resource.</summary>
public sealed class DeletionReporter(IEventRecorder events)
{
    private readonly ConcurrentDictionary<ObjectKey, CeleryResource> known = new();

    /// <summary>Remembers the last version seen of a live resource, to report on it once it is gone.</summary>
    public void Observe(ObjectKey key, CeleryResource resource) => known[key] = resource;

    /// <summary>The resource has a deletionTimestamp: the collector is removing its children.</summary>
    public Task OnDeletingAsync(CeleryResource resource, CancellationToken cancellationToken) =>
        events.RecordAsync(resource, EventSeverity.Normal, "Deleting", "Delete", "Celery resource is being deleted; its children are removed by the garbage collector", cancellationToken);

    /// <summary>The resource is gone from the cache: forget it.</summary>
    public async Task OnGoneAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (!known.TryRemove(key, out var last))
        {
            return;
        }

        await events.RecordAsync(last, EventSeverity.Normal, "Deleted", "Delete", "Celery resource deleted; the operator no longer tracks it", cancellationToken).ConfigureAwait(false);
        if (last.Metadata.Uid is { } uid)
        {
            events.Forget(uid);
        }
    }
}
