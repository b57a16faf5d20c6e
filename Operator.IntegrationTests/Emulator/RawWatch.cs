// A watch read line by line over plain HTTP, to check the wire protocol exactly (event types, bookmarks, ERROR).
using System.Net.Http.Headers;

namespace Operator.IntegrationTests.Emulator;

internal sealed class RawWatch : IAsyncDisposable
{
    private readonly HttpClient? ownedHttp;
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private RawWatch(HttpClient? ownedHttp, HttpResponseMessage response, StreamReader reader)
    {
        this.ownedHttp = ownedHttp;
        this.response = response;
        this.reader = reader;
    }

    public int StatusCode => (int)response.StatusCode;

    /// <summary>A watch over plain HTTP naming <paramref name="user"/> as its bearer token (the emulator).</summary>
    public static async Task<RawWatch> OpenAsync(Uri baseAddress, string pathAndQuery, string user = "tester")
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user);
        var response = await http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        return new RawWatch(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Sends <paramref name="request"/> (already authenticated) through <paramref name="http"/> (not owned), e.g. a KubernetesClient's, with its TLS.</summary>
    public static async Task<RawWatch> OpenAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new RawWatch(null, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var line = await reader.ReadLineAsync(deadline.Token);
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>Events until one satisfies <paramref name="stop"/> (included), failing after the timeout.</summary>
    public async Task<List<JsonObject>> ReadUntilAsync(Func<JsonObject, bool> stop, TimeSpan? timeout = null)
    {
        var events = new List<JsonObject>();
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var remaining = deadline - DateTimeOffset.UtcNow;
            Assert.That(remaining, Is.GreaterThan(TimeSpan.Zero), $"watch did not deliver the expected event; got {events.Count} events");
            var next = await NextAsync(remaining);
            Assert.That(next, Is.Not.Null, "watch ended before the expected event");
            events.Add(next!);
            if (stop(next!))
            {
                return events;
            }
        }
    }

    public static string Type(JsonObject change) => change["type"]!.GetValue<string>();

    public static string Name(JsonObject change) => change["object"]!["metadata"]!["name"]!.GetValue<string>();

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        ownedHttp?.Dispose();
        return ValueTask.CompletedTask;
    }
}
