// The last observation of each resource, shared by the reader (which writes it), the reconciler (which puts it in
// status) and the metrics (which export it). Thread-safe; holds counts only, never a broker URL or credential.
using System.Collections.Concurrent;
using Operator.Runtime;

namespace Operator.Celery.Backlog;

/// <summary>Backlog observations by resource.</summary>
public sealed class BacklogStore
{
    private readonly ConcurrentDictionary<ObjectKey, BacklogObservation> observations = new();

    private volatile bool passCompleted;

    public BacklogObservation? Get(ObjectKey key) => observations.GetValueOrDefault(key);

    /// <summary>
    /// False until the reader's first pass since the operator started has ended: until then a resource without an
    /// observation is one not read yet, and its status keeps the backlog as the last reader left it.
    /// </summary>
    public bool HasCompletedPass => passCompleted;

    /// <summary>The reader ended a pass: from now on a resource without an observation is one the reader does not read.</summary>
    public void PassCompleted() => passCompleted = true;

    public void Set(ObjectKey key, BacklogObservation observation) => observations[key] = observation;

    public void Forget(ObjectKey key) => observations.TryRemove(key, out _);

    /// <summary>Drops every resource not in <paramref name="keep"/>.</summary>
    public void Retain(IReadOnlySet<ObjectKey> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        foreach (var key in observations.Keys.Where(k => !keep.Contains(k)))
        {
            observations.TryRemove(key, out _);
        }
    }

    public IReadOnlyList<KeyValuePair<ObjectKey, BacklogObservation>> Snapshot() => [.. observations];
}
