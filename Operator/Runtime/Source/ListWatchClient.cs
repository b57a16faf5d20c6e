using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Source;

/// <summary>
/// List and watch on raw HTTP through the client's own <see cref="HttpClient"/>, base address and credentials,
/// so a 410 is an exception we see and a stream is a sequence we read line by line (KubernetesClient's watcher
/// reports a 410 through a callback and cannot tell a silent stream from an idle one).
/// </summary>
public sealed class ListWatchClient : IListWatchClient
{
    private readonly Kubernetes kubernetes;
    private readonly int pageSize;
    private readonly RuntimeMetrics? metrics;

    public ListWatchClient(Kubernetes kubernetes, int pageSize = 500, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        this.kubernetes = kubernetes;
        this.pageSize = pageSize;
        this.metrics = metrics;
    }

    /// <remarks>
    /// Pages are pipelined: once a page is parsed, the request for the next one goes out before this page's items
    /// are decoded, so the server prepares page n+1 while the client decodes page n instead of each waiting on
    /// the other (a list of 40,000 objects is 80 round trips).
    /// </remarks>
    public async Task<ObjectList<T>> ListAsync<T>(ListWatchTarget target, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(target);
        var items = new List<T>();
        var pending = ListPageAsync(target, null, cancellationToken);
        while (true)
        {
            using var document = await pending.ConfigureAwait(false);
            var root = document.RootElement;
            var metadata = root.TryGetProperty("metadata", out var m) ? m : default;
            var continueToken = StringProperty(metadata, "continue");
            var following = string.IsNullOrEmpty(continueToken) ? null : ListPageAsync(target, continueToken, cancellationToken);
            try
            {
                if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
                {
                    foreach (var element in array.EnumerateArray())
                    {
                        items.Add(Decode<T>(element, target));
                    }
                }
            }
            catch
            {
                // The next page's request is already out: release its document, observe its failure.
                _ = following?.ContinueWith(
                    t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            t.Result.Dispose();
                        }
                        else
                        {
                            _ = t.Exception;
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                throw;
            }

            if (following is null)
            {
                var resourceVersion = StringProperty(metadata, "resourceVersion")
                    ?? throw new KubernetesApiException($"The list of {target} has no resourceVersion.");
                return new ObjectList<T>(items, resourceVersion);
            }

            pending = following;
        }
    }

    private async Task<JsonDocument> ListPageAsync(ListWatchTarget target, string? continueToken, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string?>
        {
            ["limit"] = pageSize.ToString(CultureInfo.InvariantCulture),
            ["continue"] = continueToken,
            ["labelSelector"] = target.LabelSelector,
        };
        // Headers only: JsonDocument reads the body into pooled memory. Buffering it in HttpClient first put
        // every multi-megabyte page on the large object heap, twice, and forced full collections.
        using var response = await SendAsync("LIST", target, query, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        ListWatchTarget target,
        string resourceVersion,
        TimeSpan timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(target);
        var query = new Dictionary<string, string?>
        {
            ["watch"] = "true",
            ["resourceVersion"] = resourceVersion,
            ["allowWatchBookmarks"] = "true",
            ["timeoutSeconds"] = ((long)Math.Max(1, timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            ["labelSelector"] = target.LabelSelector,
        };
        using var response = await SendAsync("WATCH", target, query, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var reader = new StreamReader(body, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    yield return ParseEvent<T>(line, target);
                }
            }
        }
    }

    private static WatchEvent<T> ParseEvent<T>(string line, ListWatchTarget target)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var typeName = StringProperty(root, "type") ?? throw new JsonException($"A watch event without a type: {line}");
        if (!Enum.TryParse<WatchEventType>(typeName, ignoreCase: true, out var type))
        {
            throw new JsonException($"Unknown watch event type '{typeName}'.");
        }

        var payload = root.TryGetProperty("object", out var o) ? o : throw new JsonException($"A watch event without an object: {line}");
        return type == WatchEventType.Error
            ? new WatchEvent<T>(type, null, KubernetesJson.Deserialize<V1Status>(payload))
            : new WatchEvent<T>(type, Decode<T>(payload, target));
    }

    /// <summary>
    /// Deserializes one object through the target's projection. List items come without kind and apiVersion;
    /// they are filled in so cached objects are complete.
    /// </summary>
    private static T Decode<T>(JsonElement element, ListWatchTarget target)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var obj = target.Projection is { } projection ? projection.Decode<T>(element) : KubernetesJson.Deserialize<T>(element);
        obj.ApiVersion ??= target.Resource.ApiVersion;
        obj.Kind ??= target.Resource.Kind;
        return obj;
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private async Task<HttpResponseMessage> SendAsync(
        string verb,
        ListWatchTarget target,
        Dictionary<string, string?> query,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        var uri = BuildUri(target, query);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/json");
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await kubernetes.HttpClient.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        metrics?.ApiRequest(verb, (int)response.StatusCode);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new KubernetesApiException(response.StatusCode, $"{verb} {target} failed with {(int)response.StatusCode}: {Truncate(body)}");
        }
    }

    private Uri BuildUri(ListWatchTarget target, Dictionary<string, string?> query)
    {
        var builder = new StringBuilder(kubernetes.BaseUri.ToString().TrimEnd('/'));
        builder.Append(target.Resource.CollectionPath(target.Namespace));
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        return new Uri(builder.ToString());
    }

    private static string Truncate(string text) => text.Length <= 512 ? text : text[..512];
}
