// A RabbitMQ node run as a plain child process: its own node name, ports, epmd, database and log directories
// under a temporary directory, and no plugins (an empty enabled-plugins file keeps the management plugin and
// its port out). The node's own epmd is started first as our child, so the node does not daemonize one
// that would outlive the test.
using System.Globalization;
using System.Net.Sockets;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Operator.IntegrationTests.Conformance;

/// <summary>A throw-away RabbitMQ node.</summary>
internal sealed class RabbitMqServer : IBrokerServer
{
    private const int NotFound = 404;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(60);
    private readonly string directory = Directory.CreateTempSubdirectory("conformance-rabbitmq-").FullName;
    private readonly int port = FreePort.Next();
    private readonly int distributionPort = FreePort.Next();
    private readonly int epmdPort = FreePort.Next();
    private readonly Dictionary<string, string?> environment;
    private LocalProcess? epmd;
    private LocalProcess? node;

    private RabbitMqServer()
    {
        var home = Directory.CreateDirectory(Path.Combine(directory, "home")).FullName;
        var plugins = Path.Combine(directory, "enabled_plugins");
        File.WriteAllText(plugins, "[].\n");
        var envFile = Path.Combine(directory, "rabbitmq-env.conf");
        File.WriteAllText(envFile, "");
        environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = $"conformance{port.ToString(CultureInfo.InvariantCulture)}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
            ["RABBITMQ_CONF_ENV_FILE"] = envFile,
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_MNESIA_BASE"] = Directory.CreateDirectory(Path.Combine(directory, "mnesia")).FullName,
            ["RABBITMQ_LOG_BASE"] = Directory.CreateDirectory(Path.Combine(directory, "log")).FullName,
        };
    }

    public string BrokerType => "rabbitmq";

    /// <summary>The default guest user, which RabbitMQ admits from loopback only, on the default vhost "/".</summary>
    public string BrokerUrl => $"amqp://guest:guest@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}//";

    /// <summary>Replies travel back over the broker itself.</summary>
    public string ResultBackendUrl => "rpc://";

    public static async Task<RabbitMqServer> StartNewAsync(CancellationToken cancellationToken)
    {
        var server = new RabbitMqServer();
        try
        {
            server.epmd = LocalProcess.Start("epmd", LocalPrograms.Epmd, ["-port", server.environment["ERL_EPMD_PORT"]!], server.environment, server.directory);
            await Eventually.UntilAsync("epmd listens", StartTimeout, ct => CanConnectAsync(server.epmdPort, ct), cancellationToken);
            server.node = LocalProcess.Start("rabbitmq-server", LocalPrograms.RabbitMqServer, [], server.environment, server.directory);
            await server.WaitUntilAcceptingAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the RabbitMQ application (the node stays up, its listener closes).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => ControlAsync("stop_app", cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await CanConnectAsync(port, cancellationToken))
        {
            return;
        }

        await ControlAsync("start_app", cancellationToken);
        await WaitUntilAcceptingAsync(cancellationToken);
    }

    /// <summary>Opens an AMQP connection as a client would.</summary>
    public Task<IConnection> ConnectAsync(string url, CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync(cancellationToken);

    public async Task ResetAsync(IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(BrokerUrl, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
        }
    }

    public async Task<long> CountReadyAsync(string queue, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(BrokerUrl, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (node is not null)
        {
            await node.DisposeAsync();
        }

        if (epmd is not null)
        {
            await epmd.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    private static async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken) =>
        await Eventually.UntilAsync("RabbitMQ accepts an AMQP connection", StartTimeout, async ct =>
        {
            if (node is { HasExited: true } exited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited with {exited.ExitCode}: {exited.Output}");
            }

            await using var connection = await ConnectAsync(BrokerUrl, ct);
            return connection.IsOpen;
        }, cancellationToken);

    private async Task ControlAsync(string command, CancellationToken cancellationToken)
    {
        var result = await LocalProcess.RunAsync(LocalPrograms.RabbitMqCtl, [command], environment, directory, ControlTimeout, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"rabbitmqctl {command}: {result}");
        }
    }
}
