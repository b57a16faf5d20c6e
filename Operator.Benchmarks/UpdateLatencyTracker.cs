// Measures patch-to-Deployment latency: the time from sending a spec patch to the moment a watch sees the
// worker Deployment's generation rise past the value it had when the patch was sent. Invariants: a pending
// update is registered before its patch goes out (so its event cannot be missed), and each patch yields at
// most one sample.
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Operator.Benchmarks;

/// <summary>Pending updates by Deployment key and the latencies observed so far.</summary>
public sealed class UpdateLatencyTracker
{
    private readonly ConcurrentDictionary<string, long> generations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long SentAt, long Generation)> pending = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<TimeSpan> latencies = [];

    public int Completed => latencies.Count;

    public IReadOnlyList<TimeSpan> Latencies => [.. latencies];

    /// <summary>Deployment generations known so far (from the watch's initial ADDED events on).</summary>
    public int KnownDeployments => generations.Count;

    public void Observe(ObservedEvent observed)
    {
        var generation = observed.Generation;
        generations[observed.Key] = generation;
        if (pending.TryGetValue(observed.Key, out var update) && generation > update.Generation && pending.TryRemove(observed.Key, out _))
        {
            latencies.Add(Stopwatch.GetElapsedTime(update.SentAt));
        }
    }

    /// <summary>Call just before sending the patch that should change <paramref name="deploymentKey"/>.</summary>
    public void Expect(string deploymentKey)
    {
        var generation = generations.TryGetValue(deploymentKey, out var g) ? g : throw new InvalidOperationException($"{deploymentKey} was never observed");
        pending[deploymentKey] = (Stopwatch.GetTimestamp(), generation);
    }
}
