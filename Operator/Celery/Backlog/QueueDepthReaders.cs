// One reader and one guard per broker connection key, made when a resource first needs it and disposed when no
// resource needs it any more. Invariant: every read of an endpoint goes through that endpoint's guard, so a dead
// broker opens one circuit however many resources use it.
using Operator.Celery.Broker;
using Operator.Runtime.Resilience;

namespace Operator.Celery.Backlog;

/// <summary>The shared readers, by connection.</summary>
public sealed class QueueDepthReaders(BacklogOptions options, TimeProvider time, Func<BrokerEndpoint, IQueueDepthReader>? create = null) : IAsyncDisposable
{
    private readonly Dictionary<BrokerConnectionKey, (IQueueDepthReader Reader, CircuitGuard Guard)> readers = [];
    private readonly Lock sync = new();
    private readonly Func<BrokerEndpoint, IQueueDepthReader> create = create ?? (e => Create(e, options.CallTimeout));

    /// <summary>Connections open (or being kept for reconnection) now.</summary>
    public int Count
    {
        get
        {
            lock (sync)
            {
                return readers.Count;
            }
        }
    }

    /// <summary>The broker kinds a reader exists for.</summary>
    public static bool Supports(BrokerKind kind) => kind is BrokerKind.Redis or BrokerKind.RabbitMq or BrokerKind.Sqs;

    public ValueTask<IReadOnlyList<QueueDepth>> ReadAsync(BrokerEndpoint endpoint, IReadOnlyCollection<BacklogQueue> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var key = BrokerConnectionKey.Of(endpoint);
        (IQueueDepthReader Reader, CircuitGuard Guard) entry;
        lock (sync)
        {
            if (!readers.TryGetValue(key, out entry))
            {
                entry = (create(endpoint), new CircuitGuard(options.Guard, time));
                readers[key] = entry;
            }
        }

        return entry.Guard.RunAsync(async ct => await entry.Reader.ReadAsync(endpoint, queues, ct).ConfigureAwait(false), cancellationToken);
    }

    /// <summary>Closes the connections no endpoint in <paramref name="inUse"/> needs.</summary>
    public async Task RetainAsync(IReadOnlySet<BrokerConnectionKey> inUse)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        List<IQueueDepthReader> unused;
        lock (sync)
        {
            var keys = readers.Keys.Where(k => !inUse.Contains(k)).ToList();
            unused = [.. keys.Select(k => readers[k].Reader)];
            foreach (var key in keys)
            {
                readers.Remove(key);
            }
        }

        foreach (var reader in unused)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await RetainAsync(new HashSet<BrokerConnectionKey>()).ConfigureAwait(false);

    private static IQueueDepthReader Create(BrokerEndpoint endpoint, TimeSpan callTimeout) => endpoint.Kind switch
    {
        BrokerKind.Redis => new RedisQueueDepthReader(endpoint, callTimeout),
        BrokerKind.RabbitMq => new RabbitMqQueueDepthReader(endpoint, callTimeout),
        BrokerKind.Sqs => new SqsQueueDepthReader(endpoint, callTimeout),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint.Kind, "no backlog reader for this broker kind"),
    };
}
