// One redis-server process the benchmark owns (Debian's redis-server, on a free port of 127.0.0.1, no persistence,
// a password), and what the benchmark asks of it through redis-cli: INFO sections, CLIENT LIST, RPUSH. Invariants:
// the password reaches redis-server on its standard input and redis-cli through REDISCLI_AUTH, never on a command
// line; each redis-cli call is one new connection that sends AUTH and one command, so over a window the benchmark's
// own sampling costs the server exactly those two commands per sample; disposing stops the server.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Operator.Testing;

namespace Operator.Benchmarks;

/// <summary>A running Redis server on 127.0.0.1.</summary>
public sealed partial class RedisServer : IAsyncDisposable
{
    /// <summary>What one redis-cli sample (a new connection: AUTH, then the command) adds to the server's command count.</summary>
    public const int CommandsPerSample = 2;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private readonly LocalProcess process;
    private readonly string password;

    private RedisServer(LocalProcess process, int port, string password)
    {
        this.process = process;
        Port = port;
        this.password = password;
    }

    public int Port { get; }

    /// <summary>Starts redis-server on a free port and waits until it accepts connections.</summary>
    public static async Task<RedisServer> StartAsync(string name, string password, string? logDirectory, CancellationToken cancellationToken)
    {
        var port = FreePort();
        // A configuration file on standard input ("-") keeps the password off the process's command line.
        var configuration = string.Join('\n',
            $"port {port.ToString(CultureInfo.InvariantCulture)}", "bind 127.0.0.1", "save \"\"", "appendonly no", $"requirepass {password}", "loglevel notice", "logfile \"\"");
        var process = LocalProcess.Start(name, "redis-server", ["-"], new Dictionary<string, string?>(), Path.GetTempPath(), configuration + "\n", logDirectory);
        try
        {
            await process.WaitForLineAsync(ReadyLine(), StartTimeout, cancellationToken).ConfigureAwait(false);
            return new RedisServer(process, port, password);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The fields of the INFO sections named ("stats", "commandstats", "clients"), read in one command.</summary>
    public async Task<IReadOnlyDictionary<string, string>> InfoAsync(IReadOnlyList<string> sections, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (await CommandAsync(["INFO", .. sections], cancellationToken).ConfigureAwait(false)).Split('\n', StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return fields;
    }

    /// <summary>
    /// The server's command counters, in one sample: total_commands_processed and the calls of each command (INFO
    /// stats and commandstats).
    /// </summary>
    public async Task<CommandCounts> CommandCountsAsync(CancellationToken cancellationToken)
    {
        var stats = await InfoAsync(["stats", "commandstats"], cancellationToken).ConfigureAwait(false);
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in stats)
        {
            // cmdstat_llen:calls=120,usec=...,usec_per_call=...,rejected_calls=0,failed_calls=0
            if (key.StartsWith("cmdstat_", StringComparison.Ordinal) && CallsField().Match(value) is { Success: true } match)
            {
                calls[key["cmdstat_".Length..]] = long.Parse(match.Groups["calls"].Value, CultureInfo.InvariantCulture);
            }
        }

        return new CommandCounts(long.Parse(stats["total_commands_processed"], CultureInfo.InvariantCulture), calls);
    }

    /// <summary>How many connections carry the client name <paramref name="clientName"/> (CLIENT LIST).</summary>
    public async Task<int> ConnectionsNamedAsync(string clientName, CancellationToken cancellationToken) =>
        (await CommandAsync(["CLIENT", "LIST"], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Count(line => line.Split(' ').Contains($"name={clientName}", StringComparer.Ordinal));

    /// <summary>Appends <paramref name="count"/> messages to the list <paramref name="key"/>, as a producer would.</summary>
    public async Task PushAsync(string key, int count, CancellationToken cancellationToken)
    {
        var output = await CommandAsync(["RPUSH", key, .. Enumerable.Range(0, count).Select(i => $"{{\"id\":\"{i.ToString(CultureInfo.InvariantCulture)}\"}}")], cancellationToken).ConfigureAwait(false);
        if (!long.TryParse(output.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidOperationException($"RPUSH on redis port {Port} answered: {output}");
        }
    }

    public async ValueTask DisposeAsync() => await process.DisposeAsync().ConfigureAwait(false);

    private async Task<string> CommandAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("redis-cli") { Environment = { ["REDISCLI_AUTH"] = password } };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. command])
        {
            start.ArgumentList.Add(argument);
        }

        var result = await SeparatedOutputCommand.RunAsync(start, CommandTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || result.StandardOutput.StartsWith("ERR", StringComparison.Ordinal) || result.StandardOutput.StartsWith("NOAUTH", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli {command[0]} on port {Port} failed (exit {result.ExitCode}): {result.StandardOutput}{result.StandardError}");
        }

        return result.StandardOutput;
    }

    // The kernel's next free port; a race with another process taking it between here and redis-server's bind shows
    // as redis-server exiting, which StartAsync reports.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("Ready to accept connections")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"(?:^|,)calls=(?<calls>\d+)")]
    private static partial Regex CallsField();
}

/// <summary>A Redis server's command counters at one moment.</summary>
public sealed record CommandCounts(long Total, IReadOnlyDictionary<string, long> Calls)
{
    /// <summary>Calls per command between <paramref name="earlier"/> and this reading (commands new since then included).</summary>
    public IReadOnlyDictionary<string, long> CallsSince(CommandCounts earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return Calls.ToDictionary(c => c.Key, c => c.Value - earlier.Calls.GetValueOrDefault(c.Key), StringComparer.Ordinal);
    }
}
