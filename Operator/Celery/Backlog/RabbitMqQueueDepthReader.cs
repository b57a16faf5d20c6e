// Reads Celery queue counts from RabbitMQ by passive declare (queue.declare with passive=true): the broker answers
// with the queue's ready messages and its consumers without creating or changing anything. A queue that does not
// exist yet (no worker and no sender declared it) closes the channel with 404: it holds nothing and has no
// consumer, and the next queue gets a fresh channel. One connection per URL list, to the vhost of the URL, with
// TLS for amqps://; a failover list gives every host of the list, tried in order (the credentials and vhost of the
// first URL apply to all, which is how a failover list is written in practice). Invariant: the password stays in
// the connection factory; nothing of ours prints it.
using Operator.Celery.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Operator.Celery.Backlog;

/// <summary>Reads queue counts from one RabbitMQ vhost.</summary>
public sealed class RabbitMqQueueDepthReader : IQueueDepthReader
{
    private const int NotFound = 404;
    private readonly ConnectionFactory factory;
    private readonly IReadOnlyList<AmqpTcpEndpoint> hosts;
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;
    private IChannel? channel;

    public RabbitMqQueueDepthReader(BrokerEndpoint endpoint, TimeSpan callTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        factory = new ConnectionFactory
        {
            UserName = endpoint.Username ?? ConnectionFactory.DefaultUser,
            Password = endpoint.Password ?? ConnectionFactory.DefaultPass,
            VirtualHost = endpoint.VirtualHost,
            RequestedConnectionTimeout = callTimeout,
            ContinuationTimeout = callTimeout,
            HandshakeContinuationTimeout = callTimeout,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = "celery-operator-backlog",
        };
        hosts = [.. new[] { endpoint }.Concat(endpoint.Failover).Select(Host)];
    }

    public async Task<IReadOnlyList<QueueDepth>> ReadAsync(BrokerEndpoint endpoint, IReadOnlyCollection<BacklogQueue> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var depths = new List<QueueDepth>(queues.Count);
            foreach (var queue in queues)
            {
                depths.Add(await ReadOneAsync(queue.Name, cancellationToken).ConfigureAwait(false));
            }

            return depths;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever broke, the next read starts from a new connection.
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        gate.Dispose();
    }

    private async Task<QueueDepth> ReadOneAsync(string queue, CancellationToken cancellationToken)
    {
        var open = await ChannelAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ok = await open.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false);
            return new QueueDepth(queue, ok.MessageCount, (int)ok.ConsumerCount);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            channel = null;
            await open.DisposeAsync().ConfigureAwait(false);
            return new QueueDepth(queue, 0, 0);
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (connection is not { IsOpen: true })
        {
            await CloseAsync().ConfigureAwait(false);
            connection = await factory.CreateConnectionAsync([.. hosts], cancellationToken).ConfigureAwait(false);
        }

        if (channel is not { IsOpen: true })
        {
            channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return channel;
    }

    private async Task CloseAsync()
    {
        var (openChannel, openConnection) = (channel, connection);
        (channel, connection) = (null, null);
        try
        {
            if (openChannel is not null)
            {
                await openChannel.DisposeAsync().ConfigureAwait(false);
            }

            if (openConnection is not null)
            {
                await openConnection.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or ObjectDisposedException)
        {
            // Closing what the broker already dropped.
        }
    }

    private static AmqpTcpEndpoint Host(BrokerEndpoint endpoint)
    {
        var host = endpoint.Host.Trim('[', ']');
        var ssl = new SslOption { Enabled = endpoint.Tls, ServerName = host };
        return new AmqpTcpEndpoint(host, endpoint.Port ?? (endpoint.Tls ? 5671 : 5672), ssl);
    }
}
