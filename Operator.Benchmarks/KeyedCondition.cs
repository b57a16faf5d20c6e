// Counts the objects for which a predicate holds, fed by a watch. Invariant: an object counts once however many
// events it gets, and stops counting when an event says the predicate no longer holds or it is deleted.
using System.Collections.Concurrent;
using System.Diagnostics;

namespace Operator.Benchmarks;

/// <summary>How many watched objects satisfy a predicate, and a wait for a target count.</summary>
public sealed class KeyedCondition(Func<ObservedEvent, bool> predicate)
{
    private readonly ConcurrentDictionary<string, bool> holds = new(StringComparer.Ordinal);
    private int count;

    public int Count => Volatile.Read(ref count);

    public void Observe(ObservedEvent observed)
    {
        var now = observed.Type != "DELETED" && predicate(observed);
        var before = holds.TryGetValue(observed.Key, out var b) && b;
        holds[observed.Key] = now;
        if (now != before)
        {
            Interlocked.Add(ref count, now ? 1 : -1);
        }
    }

    public async Task WaitForAsync(int target, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (Count < target)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: {Count} of {target} after {timeout}");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }
}
