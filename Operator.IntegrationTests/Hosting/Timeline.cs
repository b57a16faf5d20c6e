using System.Collections.Concurrent;

namespace Operator.IntegrationTests.Hosting;

/// <summary>Events from several hosts and the fake API in one total order, for "this happened before that" checks.</summary>
internal sealed class Timeline
{
    private readonly ConcurrentQueue<(long Sequence, string Event)> events = new();
    private long sequence;

    public void Record(string what) => events.Enqueue((Interlocked.Increment(ref sequence), what));

    public IReadOnlyList<string> Events => [.. events.OrderBy(e => e.Sequence).Select(e => e.Event)];

    /// <summary>The position of the first event matching, or -1.</summary>
    public int IndexOfFirst(Func<string, bool> match) => Events.ToList().FindIndex(e => match(e));

    /// <summary>The position of the last event matching, or -1.</summary>
    public int IndexOfLast(Func<string, bool> match) => Events.ToList().FindLastIndex(e => match(e));
}
