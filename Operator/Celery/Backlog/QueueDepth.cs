namespace Operator.Celery.Backlog;

/// <summary>
/// One queue's count as a broker reported it; <paramref name="Consumers"/> is null where the broker does not know
/// them, <paramref name="InFlight"/> (received by a consumer, not yet acknowledged) null where the broker does not
/// report it apart (only SQS does).
/// </summary>
public sealed record QueueDepth(string Queue, long Messages, int? Consumers, long? InFlight = null);
