namespace Operator.Celery.Backlog;

/// <summary>One queue's count as a broker reported it; <paramref name="Consumers"/> is null where the broker does not know them.</summary>
public sealed record QueueDepth(string Queue, long Messages, int? Consumers);
