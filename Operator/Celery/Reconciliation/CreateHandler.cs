// Handles a resource that has no children yet: applies every desired child.
using k8s;
using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Reconciliation;

/// <summary>First reconcile of a resource: create its children.</summary>
public sealed class CreateHandler(CeleryClusterState state, ChildApplier applier)
{
    public async Task<IReadOnlyList<ChildOutcome>> RunAsync(CeleryResource resource, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> desired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var outcomes = new List<ChildOutcome>(desired.Count);
        foreach (var child in desired)
        {
            outcomes.Add(await applier.EnsureAsync(state.CacheFor(child.ApiVersion, child.Kind), resource, child, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }
}
