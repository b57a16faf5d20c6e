// Observes one resource across all namespaces through a plain watch (no resourceVersion: the current objects
// arrive first as ADDED, then every change). Invariants: the handler sees events in the server's order and on one
// thread at a time; the stream is re-opened if the server ends it, and stops only when disposed.
using System.Net.Http.Headers;
using System.Text.Json;

namespace Operator.Benchmarks;

/// <summary>A watch event: its type and the object.</summary>
public readonly record struct ObservedEvent(string Type, JsonElement Object)
{
    public string Key => $"{Object.GetProperty("metadata").GetProperty("namespace").GetString()}/{Object.GetProperty("metadata").GetProperty("name").GetString()}";

    public long Generation => Object.GetProperty("metadata").TryGetProperty("generation", out var g) ? g.GetInt64() : 0;
}

/// <summary>A running watch delivering events to a handler.</summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly HttpClient http;
    private readonly Task running;

    private WatchStream(Uri server, string user, string collectionPath, Action<ObservedEvent> handler)
    {
        http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user);
        running = Task.Run(() => RunAsync(collectionPath, handler, stop.Token));
    }

    /// <param name="collectionPath">For example <c>/apis/apps/v1/deployments</c>.</param>
    public static WatchStream Start(Uri server, string user, string collectionPath, Action<ObservedEvent> handler) =>
        new(server, user, collectionPath, handler);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        http.Dispose();
        stop.Dispose();
    }

    private async Task RunAsync(string collectionPath, Action<ObservedEvent> handler, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{collectionPath}?watch=1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    using var document = JsonDocument.Parse(line);
                    var type = document.RootElement.GetProperty("type").GetString() ?? "";
                    if (type is "ADDED" or "MODIFIED" or "DELETED")
                    {
                        handler(new ObservedEvent(type, document.RootElement.GetProperty("object").Clone()));
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
