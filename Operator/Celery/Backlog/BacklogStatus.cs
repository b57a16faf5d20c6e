// The backlog's part of a Celery resource's status, from the reader's last observation. Pure. Invariant: the same
// observation gives the same parts (no clock here: observedAt is the time the reader first read the count), so a
// status rebuilt while backlogs are unchanged is equal to the previous one and costs no write.
using System.Globalization;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;

namespace Operator.Celery.Backlog;

/// <summary>A condition the backlog sets: type, status, reason and message.</summary>
public sealed record BacklogCondition(string Type, bool Status, string Reason, string Message);

/// <summary>status.backlog, status.queues, each group's backlog and the backlog conditions.</summary>
public sealed record BacklogStatus(long Total, IList<QueueStatus> Queues, IReadOnlyList<BacklogCondition> Conditions, BacklogObservation Observation)
{
    /// <summary>Null when the resource's backlog is not read (disabled, or not read yet).</summary>
    public static BacklogStatus? Of(CeleryResource resource, BacklogObservation? observation)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (observation is null || resource.Spec.Broker.Backlog is { Enabled: false })
        {
            return null;
        }

        var queues = observation.Queues.Select(q => new QueueStatus { Name = q.Queue, Messages = q.Messages, InFlight = q.InFlight, Consumers = q.Consumers, ObservedAt = q.ObservedAt }).ToList();
        var conditions = new List<BacklogCondition>
        {
            observation.Failure is { } failure
                ? new BacklogCondition(CeleryConditions.BacklogRead, false, ReasonOf(failure), failure.Message + (queues.Count > 0 ? LastCountsSuffix : ""))
                : new BacklogCondition(CeleryConditions.BacklogRead, true, CeleryConditions.Reasons.QueuesRead, "the queues' lengths are read from the broker"),
        };
        var stalled = observation.Queues.Where(q => q.Stalled).ToList();
        var threshold = (resource.Spec.Broker.Backlog ?? new BacklogSpec()).NoConsumerThreshold.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        conditions.Add(stalled.Count > 0
            ? new BacklogCondition(CeleryConditions.QueuesConsumed, false, CeleryConditions.Reasons.NoConsumer,
                string.Join("; ", stalled.GroupBy(NoConsumerWording).Select(g => $"{string.Join(", ", g.Select(q => q.Queue))}: messages waiting with {g.Key} for more than {threshold}s")))
            : new BacklogCondition(CeleryConditions.QueuesConsumed, true, CeleryConditions.Reasons.QueuesHaveConsumers, "no queue has waited for a consumer longer than the threshold"));
        return new BacklogStatus(observation.Queues.Sum(q => q.Messages), queues, conditions, observation);
    }

    public long GroupBacklog(string group) => Observation.GroupBacklog(group);

    /// <summary>
    /// What a stalled queue lacks, in words that claim only what is known: a consumer where the broker counts them
    /// (RabbitMQ); elsewhere (Redis, SQS, whose brokers do not know their consumers) a ready worker pod of this
    /// resource, which is what the operator saw.
    /// </summary>
    public static string NoConsumerWording(QueueReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return reading.Consumers is null ? "no ready worker pod consuming them" : "no consumer";
    }

    /// <summary>The suffix a failed read's message gets while status.queues keeps the last counts read.</summary>
    public const string LastCountsSuffix = "; status.queues shows the last counts read";

    private static string ReasonOf(BacklogReadFailure failure) => failure.Reason switch
    {
        BacklogReadFailure.Unreachable => CeleryConditions.Reasons.BrokerUnreachable,
        BacklogReadFailure.Timeout => CeleryConditions.Reasons.BrokerTimeout,
        BacklogReadFailure.AuthenticationFailed => CeleryConditions.Reasons.BrokerAuthenticationFailed,
        _ => CeleryConditions.Reasons.BacklogReadFailed,
    };

    /// <summary>
    /// The failure reason a BacklogRead condition reason stands for. BacklogReadFailed stands for an error: a paused
    /// circuit never begins an outage, so it is never the failure status shows.
    /// </summary>
    public static string FailureReasonOf(string conditionReason) => conditionReason switch
    {
        CeleryConditions.Reasons.BrokerUnreachable => BacklogReadFailure.Unreachable,
        CeleryConditions.Reasons.BrokerTimeout => BacklogReadFailure.Timeout,
        CeleryConditions.Reasons.BrokerAuthenticationFailed => BacklogReadFailure.AuthenticationFailed,
        _ => BacklogReadFailure.Error,
    };
}
