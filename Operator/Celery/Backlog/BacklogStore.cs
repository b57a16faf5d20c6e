// The last observation of each resource, shared by the reader (which writes it), the reconciler (which puts it in
// status) and the metrics (which export it). Thread-safe; holds counts only, never a broker URL or credential.
using System.Collections.Concurrent;
using Operator.Runtime;

namespace Operator.Celery.Backlog;

/// <summary>Backlog observations by resource.</summary>
public sealed class BacklogStore
{
    private readonly ConcurrentDictionary<ObjectKey, BacklogObservation> observations = new();

    public BacklogObservation? Get(ObjectKey key) => observations.GetValueOrDefault(key);

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
