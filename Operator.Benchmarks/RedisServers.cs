// The Redis servers one repeat of the backlog scenario owns: started together before the workload is created (its
// broker URLs name their ports), stopped together when the repeat ends. Invariant: Ports[i] is Servers[i]'s port,
// the order the workload spreads its namespaces over.
namespace Operator.Benchmarks;

/// <summary>A set of running Redis servers, one per broker endpoint of the workload.</summary>
public sealed class RedisServers : IAsyncDisposable
{
    private RedisServers(IReadOnlyList<RedisServer> servers) => Servers = servers;

    public IReadOnlyList<RedisServer> Servers { get; }

    public IReadOnlyList<int> Ports => [.. Servers.Select(s => s.Port)];

    /// <summary>Starts <paramref name="count"/> servers requiring <paramref name="password"/>.</summary>
    public static async Task<RedisServers> StartAsync(int count, string password, string? logDirectory, CancellationToken cancellationToken)
    {
        var servers = new List<RedisServer>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                servers.Add(await RedisServer.StartAsync($"redis-{i}", password, logDirectory, cancellationToken).ConfigureAwait(false));
            }

            return new RedisServers(servers);
        }
        catch
        {
            await new RedisServers(servers).DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The server whose port is <paramref name="port"/>.</summary>
    public RedisServer At(int port) => Servers.First(s => s.Port == port);

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
