// Reads Celery queue lengths from Redis the way kombu's Redis transport stores them: a queue is a list named after
// it, and a message sent with a non-zero priority goes to the list QUEUE\x06\x16STEP of its step (kombu's
// _q_for_pri). One LLEN per list, sent together on the one multiplexed connection; the database is the broker URL's.
// TLS for rediss://, an ACL user when the URL names one. Invariant: the connection's configuration (which holds the
// password) is never logged or put in an exception message of ours.
using Operator.Celery.Broker;
using Operator.Celery.Builders;
using StackExchange.Redis;

namespace Operator.Celery.Backlog;

/// <summary>Reads queue lengths from one Redis server.</summary>
public sealed class RedisQueueDepthReader : IQueueDepthReader
{
    private readonly ConfigurationOptions configuration;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private ConnectionMultiplexer? connection;

    public RedisQueueDepthReader(BrokerEndpoint endpoint, TimeSpan callTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var timeout = (int)callTimeout.TotalMilliseconds;
        configuration = new ConfigurationOptions
        {
            User = endpoint.Username,
            Password = endpoint.Password,
            Ssl = endpoint.Tls,
            SslHost = endpoint.Tls ? endpoint.Host.Trim('[', ']') : null,
            AbortOnConnectFail = false,
            ConnectTimeout = timeout,
            SyncTimeout = timeout,
            AsyncTimeout = timeout,
            ConnectRetry = 1,
            ClientName = "celery-operator-backlog",
            // Only LLEN is sent: no admin commands, no pub/sub subscription.
            AllowAdmin = false,
            CommandMap = CommandMap.Create(["SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE"], available: false),
            IncludeDetailInExceptions = false,
        };
        configuration.EndPoints.Add(endpoint.Host.Trim('[', ']'), endpoint.Port ?? 6379);
    }

    public async Task<IReadOnlyList<QueueDepth>> ReadAsync(BrokerEndpoint endpoint, IReadOnlyCollection<BacklogQueue> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(queues);
        var database = (await ConnectAsync(cancellationToken).ConfigureAwait(false)).GetDatabase(endpoint.Database);
        var lengths = queues.Select(q => Task.WhenAll(Lists(q).Select(list => database.ListLengthAsync(list)))).ToList();
        var results = await Task.WhenAll(lengths).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. queues.Zip(results, (q, counts) => new QueueDepth(q.Name, counts.Sum(), null))];
    }

    /// <summary>The lists kombu keeps a queue's messages in: the queue itself, then one per non-zero priority step.</summary>
    public static IEnumerable<RedisKey> Lists(BacklogQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        yield return queue.Name;
        foreach (var step in queue.PrioritySteps.Where(s => s > 0).Distinct())
        {
            yield return queue.Name + ScaledObjectBuilder.RedisPrioritySeparator + step.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is { } open)
        {
            connection = null;
            await open.DisposeAsync().ConfigureAwait(false);
        }

        connecting.Dispose();
    }

    // One multiplexer per server: it reconnects by itself (with its own backoff) after the server comes back.
    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (connection is { } existing)
        {
            return existing;
        }

        await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return connection ??= await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connecting.Release();
        }
    }
}
