// A redis-server on a free loopback port with a password, no persistence, and Celery's broker in database 3
// (not 0), so a KEDA trigger that ignored the URL's database would count the wrong place and fail the tests.
using System.Globalization;

namespace Operator.IntegrationTests.Conformance;

/// <summary>A throw-away Redis server.</summary>
internal sealed class RedisServer : IBrokerServer
{
    public const int BrokerDatabase = 3;
    public const int ResultDatabase = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly string directory = Directory.CreateTempSubdirectory("conformance-redis-").FullName;
    private readonly string password = Guid.NewGuid().ToString("N");
    private readonly int port = FreePort.Next();
    private LocalProcess? process;

    private RedisServer()
    {
    }

    public string BrokerType => "redis";

    public string Address => $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    public string BrokerUrl => Url(BrokerDatabase);

    public string ResultBackendUrl => Url(ResultDatabase);

    public static async Task<RedisServer> StartNewAsync(CancellationToken cancellationToken)
    {
        var server = new RedisServer();
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (process is not null)
        {
            return;
        }

        process = LocalProcess.Start("redis-server", LocalPrograms.RedisServer,
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--requirepass", password, "--dir", directory],
            new Dictionary<string, string?>(), directory);
        var started = process;
        await Eventually.UntilAsync("redis-server answers PING", StartTimeout, async ct =>
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {started.ExitCode}: {started.Output}");
            }

            await using var client = await ConnectAsync(0, ct);
            return (await client.CommandAsync(ct, "PING")).Text == "PONG";
        }, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (process is { } running)
        {
            process = null;
            await running.DisposeAsync();
        }
    }

    public Task<RespClient> ConnectAsync(int database, CancellationToken cancellationToken) =>
        RespClient.ConnectAsync(Address, null, password, database, cancellationToken);

    public async Task ResetAsync(IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(0, cancellationToken);
        await client.CommandAsync(cancellationToken, "FLUSHALL");
    }

    public async Task<long> CountReadyAsync(string queue, CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(BrokerDatabase, cancellationToken);
        return (await client.CommandAsync(cancellationToken, "LLEN", queue)).AsInteger;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        Directory.Delete(directory, recursive: true);
    }

    private string Url(int database) => $"redis://:{password}@{Address}/{database.ToString(CultureInfo.InvariantCulture)}";
}
