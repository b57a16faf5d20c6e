// Handles a resource that has children: brings each desired child to its configuration (no write when it
// already is), then deletes the children this resource controls that are no longer desired. Deletion waits
// until every apply succeeded, so a failed reconcile never leaves a group without its Deployment.
using k8s;
using k8s.Models;
using Operator.Celery.Model;
using Operator.Runtime.Cache;

namespace Operator.Celery.Reconciliation;

/// <summary>Later reconciles: update drifted or changed children, delete unwanted ones.</summary>
public sealed class UpdateHandler(CeleryClusterState state, ChildApplier applier)
{
    /// <param name="keep">Children that must survive although not desired now (KEDA objects while the broker is unreadable).</param>
    public async Task<IReadOnlyList<ChildOutcome>> RunAsync(
        CeleryResource resource,
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired,
        IReadOnlyList<(IOwnedObjects Cache, IKubernetesObject<V1ObjectMeta> Child)> observed,
        Func<IOwnedObjects, IKubernetesObject<V1ObjectMeta>, bool> keep,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(keep);
        var outcomes = new List<ChildOutcome>();
        foreach (var child in desired)
        {
            outcomes.Add(await applier.EnsureAsync(state.CacheFor(child.ApiVersion, child.Kind), resource, child, cancellationToken).ConfigureAwait(false));
        }

        var wanted = desired.Select(d => (Group(d.ApiVersion), d.Kind, d.Metadata.Name)).ToHashSet();
        foreach (var (cache, child) in observed)
        {
            if (!wanted.Contains((cache.Resource.Group, cache.Resource.Kind, child.Metadata.Name)) && !keep(cache, child))
            {
                outcomes.Add(await applier.DeleteAsync(cache, child, cancellationToken).ConfigureAwait(false));
            }
        }

        return outcomes;
    }

    // A child is the same object whatever version it is read through.
    private static string Group(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
}
