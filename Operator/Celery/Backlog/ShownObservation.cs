// What a resource's status shows of its backlog, read back as the observation that wrote it. A reader that has not
// read a resource since it started (an operator restart, a new leader) compares its first reading with this instead
// of with nothing, so the first pass after a restart writes only what really changed: unchanged counts keep their
// observedAt, an outage keeps the failure that began it, and a queue already reported as stalled stays stalled.
// Invariants: nothing here is invented beyond what status shows; what it cannot show (when a stall began) is bounded
// from what it does (the QueuesConsumed condition turned False at least one threshold after the stall began).
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;

namespace Operator.Celery.Backlog;

/// <summary>Reads the backlog parts of a Celery resource's status back into a <see cref="BacklogObservation"/>.</summary>
public static class ShownObservation
{
    /// <summary>The observation behind the resource's status; null when status shows no backlog read.</summary>
    public static BacklogObservation? Of(CeleryResource resource, IReadOnlyList<(string Group, IReadOnlyList<string> Queues)> groups)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(groups);
        var conditions = resource.Status?.Conditions ?? [];
        var read = conditions.FirstOrDefault(c => c.Type == CeleryConditions.BacklogRead);
        if (read is null)
        {
            return null;
        }

        var consumed = conditions.FirstOrDefault(c => c.Type == CeleryConditions.QueuesConsumed);
        var threshold = (resource.Spec.Broker.Backlog ?? new BacklogSpec()).NoConsumerThreshold;
        var stalledSince = consumed is { Status: "False", Reason: CeleryConditions.Reasons.NoConsumer, LastTransitionTime: { } turned } ? turned - threshold : (DateTime?)null;
        var queues = (resource.Status?.Queues ?? [])
            .Where(q => q.ObservedAt is not null)
            .Select(q =>
            {
                var stalled = stalledSince is not null && q.Messages > 0;
                return new QueueReading(q.Name, q.Messages ?? 0, q.Consumers, q.ObservedAt!.Value, stalled ? stalledSince : null, stalled, q.InFlight);
            })
            .ToList();
        var failure = read.Status == "False"
            ? new BacklogReadFailure(BacklogStatus.FailureReasonOf(read.Reason), StripSuffix(read.Message ?? string.Empty))
            : null;
        return new BacklogObservation(groups, queues, failure);
    }

    private static string StripSuffix(string message) =>
        message.EndsWith(BacklogStatus.LastCountsSuffix, StringComparison.Ordinal) ? message[..^BacklogStatus.LastCountsSuffix.Length] : message;
}
