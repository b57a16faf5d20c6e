// What the backlog reader last learned of one resource: each queue's count, and why the last read failed if it
// did. Invariant: two observations that would write the same status compare equal under SameStatusAs, whatever
// the time of the read; only a count (waiting or in flight), a consumer count, a stalled flag or the failure changes
// what is written.
namespace Operator.Celery.Backlog;

/// <summary>One queue's last reading, with the times the status and the no-consumer condition need.</summary>
/// <param name="ObservedAt">When the current count was first read (kept while a read finds the same count).</param>
/// <param name="UnconsumedSince">Since when the queue has held messages with no consumer; null while it is consumed or empty.</param>
/// <param name="Stalled">True once <paramref name="UnconsumedSince"/> is older than the resource's threshold.</param>
/// <param name="InFlight">Messages received by a worker and not yet deleted, where the broker reports them apart (SQS).</param>
public sealed record QueueReading(string Queue, long Messages, int? Consumers, DateTime ObservedAt, DateTime? UnconsumedSince, bool Stalled, long? InFlight = null);

/// <summary>The last backlog reading of one resource.</summary>
/// <param name="Groups">Each worker group's queues, in spec order.</param>
/// <param name="Queues">Each distinct queue's reading, in first-seen order; the last good values while reads fail.</param>
/// <param name="Failure">Why the last read failed; null when it succeeded.</param>
public sealed record BacklogObservation(
    IReadOnlyList<(string Group, IReadOnlyList<string> Queues)> Groups,
    IReadOnlyList<QueueReading> Queues,
    BacklogReadFailure? Failure)
{
    /// <summary>A group's backlog: the sum of its queues' messages.</summary>
    public long GroupBacklog(string group) =>
        Groups.Where(g => g.Group == group).SelectMany(g => g.Queues).Distinct(StringComparer.Ordinal)
            .Sum(q => Queues.FirstOrDefault(r => r.Queue == q)?.Messages ?? 0);

    /// <summary>Whether <paramref name="other"/> would write the same status.</summary>
    public bool SameStatusAs(BacklogObservation? other) =>
        other is not null
        && Equals(Failure, other.Failure)
        && Queues.Count == other.Queues.Count
        && Queues.Zip(other.Queues).All(p => p.First.Queue == p.Second.Queue && p.First.Messages == p.Second.Messages
            && p.First.Consumers == p.Second.Consumers && p.First.InFlight == p.Second.InFlight && p.First.Stalled == p.Second.Stalled && p.First.ObservedAt == p.Second.ObservedAt)
        && Groups.Count == other.Groups.Count
        && Groups.Zip(other.Groups).All(p => p.First.Group == p.Second.Group && p.First.Queues.SequenceEqual(p.Second.Queues));
}
