using Operator.Celery.Broker;

namespace Operator.Celery.Backlog;

/// <summary>
/// Reads queue counts from one broker endpoint over a connection it keeps open between reads. Invariant: a read
/// either returns a count for every queue asked for (0 for a queue the broker does not have) or throws.
/// </summary>
public interface IQueueDepthReader : IAsyncDisposable
{
    /// <param name="endpoint">Where to read: the Redis database, the RabbitMQ vhost (the connection's own).</param>
    Task<IReadOnlyList<QueueDepth>> ReadAsync(BrokerEndpoint endpoint, IReadOnlyCollection<BacklogQueue> queues, CancellationToken cancellationToken);
}
