// A minimal Redis client speaking RESP2 over one TCP connection: enough to authenticate, select a database
// and read key types and lengths the way KEDA's redis scaler does. Not thread-safe: one command at a time.
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Operator.IntegrationTests.Conformance;

/// <summary>A Redis reply: a simple string or bulk string (Text), an integer, or an array.</summary>
internal sealed record RespReply(string? Text, long? Integer, IReadOnlyList<RespReply>? Items)
{
    public long AsInteger => Integer ?? throw new InvalidOperationException($"expected an integer reply, got {this}");

    public override string ToString() => Text ?? Integer?.ToString(CultureInfo.InvariantCulture) ?? (Items is null ? "(nil)" : $"[{string.Join(", ", Items)}]");
}

/// <summary>An error reply from Redis.</summary>
internal sealed class RedisErrorException(string message) : Exception(message);

/// <summary>A connection to one Redis server.</summary>
internal sealed class RespClient : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly StreamReader reader;

    private RespClient(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
        reader = new StreamReader(stream, Encoding.UTF8, false, 4096, leaveOpen: true);
    }

    /// <summary>Connects to host:port and, when given, authenticates and selects <paramref name="database"/>.</summary>
    public static async Task<RespClient> ConnectAsync(string address, string? username, string? password, int database, CancellationToken cancellationToken)
    {
        var separator = address.LastIndexOf(':');
        var host = address[..separator];
        var port = int.Parse(address[(separator + 1)..], CultureInfo.InvariantCulture);
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }

        var client = new RespClient(tcp);
        try
        {
            if (!string.IsNullOrEmpty(password))
            {
                await client.CommandAsync(cancellationToken, string.IsNullOrEmpty(username) ? ["AUTH", password] : ["AUTH", username, password]);
            }

            if (database != 0)
            {
                await client.CommandAsync(cancellationToken, "SELECT", database.ToString(CultureInfo.InvariantCulture));
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <exception cref="RedisErrorException">Redis answered with an error.</exception>
    public async Task<RespReply> CommandAsync(CancellationToken cancellationToken, params string[] command)
    {
        var request = new StringBuilder();
        request.Append('*').Append(command.Length).Append("\r\n");
        foreach (var part in command)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await stream.DisposeAsync();
        tcp.Dispose();
    }

    private async Task<RespReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("Redis closed the connection");
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return new RespReply(body, null, null);
            case '-':
                throw new RedisErrorException(body);
            case ':':
                return new RespReply(null, long.Parse(body, CultureInfo.InvariantCulture), null);
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return new RespReply(null, null, null);
                }

                // Bulk strings here are ASCII (key types, OK); a char count equals the byte count.
                var buffer = new char[length + 2];
                await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
                return new RespReply(new string(buffer, 0, length), null, null);
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return new RespReply(null, null, null);
                }

                var items = new List<RespReply>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadReplyAsync(cancellationToken));
                }

                return new RespReply(null, null, items);
            default:
                throw new IOException($"unexpected RESP reply: {line}");
        }
    }
}
