using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Source;

/// <summary>
/// List and watch on raw HTTP (<see cref="RawApiClient"/>: the client's own HttpClient, base address and credentials),
/// so a 410 is an exception we see and a stream is a sequence we read line by line (KubernetesClient's watcher
/// reports a 410 through a callback and cannot tell a silent stream from an idle one).
/// </summary>
public sealed class ListWatchClient : IListWatchClient
{
    private const string MetadataListMediaType = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    private const string MetadataObjectMediaType = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

    private readonly RawApiClient api;
    private readonly int pageSize;

    /// <param name="pageSize">Objects per list page; null takes <see cref="InformerOptions.PageSize"/>'s default.</param>
    public ListWatchClient(Kubernetes kubernetes, int? pageSize = null, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        this.pageSize = pageSize ?? InformerOptions.Default.PageSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(this.pageSize, 1, nameof(pageSize));
        api = new RawApiClient(kubernetes, metrics);
    }

    /// <remarks>
    /// Pages are pipelined and decoded in parallel. Each page is read whole, and the request for the next one goes
    /// out as soon as this one's continue token is read from its front; the page is then parsed and its items
    /// decoded on the thread pool, at most one page per processor at a time. A list of 40,000 Deployments is 400
    /// pages: parsed and decoded one after another (fingerprint, projection, deserialization), they kept one core
    /// busy long after the other lists were done, and each request waited for the previous page's parse. Items keep
    /// the server's order whatever order their pages finish in.
    /// </remarks>
    public async Task<ObjectList<T>> ListAsync<T>(ListWatchTarget target, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(target);
        var items = new List<T>();
        var decoding = new Queue<Task<T[]>>();
        Task<ListPageBody>? pending = ListPageAsync(target, null, cancellationToken);
        try
        {
            while (pending is not null)
            {
                var page = await pending.ConfigureAwait(false);
                pending = string.IsNullOrEmpty(page.Continue) ? null : ListPageAsync(target, page.Continue, cancellationToken);
                var resourceVersion = page.ResourceVersion;

                // The page is disposed by its decoding task, whatever it ends in.
                decoding.Enqueue(Task.Run(() => DecodePage<T>(page, target), CancellationToken.None));
                while (decoding.Count > DecodeParallelism || (pending is null && decoding.Count > 0))
                {
                    items.AddRange(await decoding.Dequeue().ConfigureAwait(false));
                }

                if (pending is null)
                {
                    return new ObjectList<T>(
                        items,
                        resourceVersion ?? throw new KubernetesApiException($"The list of {target} has no resourceVersion."));
                }
            }

            throw new UnreachableException();
        }
        catch
        {
            await AbandonAsync(pending, decoding).ConfigureAwait(false);
            throw;
        }
    }

    private static int DecodeParallelism => Environment.ProcessorCount;

    private static T[] DecodePage<T>(ListPageBody page, ListWatchTarget target)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using (page)
        using (var document = page.Parse())
        {
            if (!document.RootElement.TryGetProperty("items", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var decoded = new T[array.GetArrayLength()];
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                decoded[index++] = Decode<T>(element, target);
            }

            return decoded;
        }
    }

    // After a failure: waits for the pages still being decoded and fetched so every page is released and every
    // failure observed; the first failure is the one the caller sees.
    private static async Task AbandonAsync<T>(Task<ListPageBody>? pending, Queue<Task<T[]>> decoding)
    {
        foreach (var task in decoding)
        {
            await task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .ConfigureAwait(false);
        }

        if (pending is not null)
        {
            await pending.ContinueWith(
                static t =>
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
                TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task<ListPageBody> ListPageAsync(ListWatchTarget target, string? continueToken, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string?>
        {
            ["limit"] = pageSize.ToString(CultureInfo.InvariantCulture),
            ["continue"] = continueToken,
            ["labelSelector"] = target.LabelSelector,
        };
        // Headers only, then the body into pooled memory: buffering it in HttpClient put every multi-megabyte page
        // on the large object heap, twice, and forced full collections.
        using var response = await SendAsync("LIST", target, query, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await ListPageBody.ReadAsync(body, response.Content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
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
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Uri(target.Resource.CollectionPath(target.Namespace), query));
        if (target.Projection?.RequestMetadataOnly == true)
        {
            // The metadata form first, plain JSON as the fallback of a server that cannot transform (as client-go asks).
            request.Headers.Accept.ParseAdd(verb == "LIST" ? MetadataListMediaType : MetadataObjectMediaType);
        }

        var response = await api.SendAsync(verb, request, cancellationToken, completion).ConfigureAwait(false);
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

    private static string Truncate(string text) => text.Length <= 512 ? text : text[..512];
}
