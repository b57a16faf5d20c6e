// The v1 ConfigMaps of FakeKubernetesApi: list (all namespaces or one) and watch, stateful or scripted.
// Invariants:
// - every write takes the next resourceVersion of the API's one counter and is kept in a history, so a watch from
//   version N replays exactly the changes after N, then streams live ones;
// - lists page (limit/continue) through the stored objects sorted by namespace/name and, as kube-apiserver does,
//   leave each item's apiVersion and kind out; held lists wait until released;
// - a watch runs the next queued script when there is one (each script is used once), otherwise it streams the
//   history until the client leaves or WatchLifetime passes (kube-apiserver ends it after timeoutSeconds instead);
// - every list's query string and every watch's resourceVersion are recorded in arrival order.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Operator.Testing;

/// <summary>The ConfigMaps a <see cref="FakeKubernetesApi"/> serves.</summary>
public sealed class FakeConfigMaps
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<string, V1ConfigMap> stored = new(StringComparer.Ordinal);
    private readonly List<Change> history = [];
    private readonly List<Channel<Change>> watchers = [];
    private readonly ConcurrentQueue<Func<HttpContext, Task>> watchScripts = new();
    private readonly Func<long> nextVersion;
    private readonly Func<long> currentVersion;
    private readonly Action<long> setVersion;
    private TaskCompletionSource listsReleased = Released();

    internal FakeConfigMaps(Func<long> nextVersion, Func<long> currentVersion, Action<long> setVersion)
    {
        this.nextVersion = nextVersion;
        this.currentVersion = currentVersion;
        this.setVersion = setVersion;
    }

    /// <summary>The query string of each list request, in order.</summary>
    public ConcurrentQueue<string> Lists { get; } = new();

    /// <summary>The resourceVersion of each watch request, in order.</summary>
    public ConcurrentQueue<string> Watches { get; } = new();

    /// <summary>How long an unscripted watch stays open before the server ends it normally; infinite unless set.</summary>
    public TimeSpan WatchLifetime { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>A ConfigMap as a test states it: namespace, name and resourceVersion.</summary>
    public static V1ConfigMap Make(string ns, string name, string resourceVersion) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, ResourceVersion = resourceVersion },
    };

    /// <summary>
    /// Replaces what lists return with <paramref name="items"/> (their resourceVersions as given) at list version
    /// <paramref name="resourceVersion"/>; no watch event is sent, as after a compaction.
    /// </summary>
    public void SetObjects(string resourceVersion, params V1ConfigMap[] items)
    {
        lock (gate)
        {
            stored.Clear();
            foreach (var item in items)
            {
                stored[Key(item)] = item;
            }

            setVersion(long.Parse(resourceVersion, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Creates or replaces a ConfigMap at the next resourceVersion; open watches see ADDED or MODIFIED.</summary>
    public void Apply(string ns, string name, IDictionary<string, string> data)
    {
        var configMap = Make(ns, name, string.Empty);
        configMap.Data = data;
        lock (gate)
        {
            var key = Key(configMap);
            var type = stored.ContainsKey(key) ? "MODIFIED" : "ADDED";
            var version = nextVersion();
            configMap.Metadata.ResourceVersion = version.ToString(CultureInfo.InvariantCulture);
            stored[key] = configMap;
            var change = new Change(version, type, configMap);
            history.Add(change);
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>Lists wait until <see cref="ReleaseLists"/>.</summary>
    public void HoldLists()
    {
        lock (gate)
        {
            listsReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleaseLists()
    {
        lock (gate)
        {
            listsReleased.TrySetResult();
        }
    }

    /// <summary>The next watch sends these lines, then ends the stream normally.</summary>
    public void WatchSendsThenCloses(params string[] lines) => watchScripts.Enqueue(context => WriteLinesAsync(context, lines));

    /// <summary>The next watch sends these lines, then stays open and silent until the client goes away.</summary>
    public void WatchSendsThenHangs(params string[] lines) => watchScripts.Enqueue(async context =>
    {
        await WriteLinesAsync(context, lines);
        await HangAsync(context);
    });

    /// <summary>
    /// The next watch sends these lines, then drops the connection without ending the response once
    /// <paramref name="dropWhen"/> completes (a reset may discard data the client has not read yet).
    /// </summary>
    public void WatchSendsThenDrops(Func<Task> dropWhen, params string[] lines) => watchScripts.Enqueue(async context =>
    {
        await WriteLinesAsync(context, lines);
        await dropWhen();
        context.Abort();
    });

    /// <summary>The next watch is answered with an HTTP error status.</summary>
    public void WatchFails(int statusCode) => watchScripts.Enqueue(async context =>
    {
        context.Response.StatusCode = statusCode;
        var reason = statusCode switch { 410 => "Expired", 503 => "ServiceUnavailable", _ => "InternalError" };
        await context.Response.WriteAsync(WatchLines.Status(statusCode, reason));
    });

    internal void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/configmaps", context => ListOrWatchAsync(context, null));
        routes.MapGet("/api/v1/namespaces/{ns}/configmaps", context => ListOrWatchAsync(context, (string)context.Request.RouteValues["ns"]!));
    }

    private static string Key(V1ConfigMap configMap) => $"{configMap.Metadata.NamespaceProperty}/{configMap.Metadata.Name}";

    private static TaskCompletionSource Released()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    private static async Task WriteLinesAsync(HttpContext context, IEnumerable<string> lines)
    {
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        foreach (var line in lines)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up on the stream.
        }
    }

    private async Task ListOrWatchAsync(HttpContext context, string? ns)
    {
        var query = context.Request.Query;
        if (query["watch"] == "true")
        {
            Watches.Enqueue(query["resourceVersion"].ToString());
            await (watchScripts.TryDequeue(out var script) ? script(context) : StreamHistoryAsync(context, ns));
            return;
        }

        Lists.Enqueue(context.Request.QueryString.Value ?? string.Empty);
        Task released;
        lock (gate)
        {
            released = listsReleased.Task;
        }

        await released.WaitAsync(context.RequestAborted);
        List<V1ConfigMap> all;
        long version;
        lock (gate)
        {
            all = [.. stored.Values.Where(c => ns is null || c.Metadata.NamespaceProperty == ns)];
            version = currentVersion();
        }

        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : int.MaxValue;
        var start = int.TryParse(query["continue"], CultureInfo.InvariantCulture, out var c) ? c : 0;
        var page = all.Skip(start).Take(limit).ToList();
        var next = start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        var list = new V1ConfigMapList
        {
            ApiVersion = "v1",
            Kind = "ConfigMapList",
            Metadata = new V1ListMeta { ResourceVersion = version.ToString(CultureInfo.InvariantCulture), ContinueProperty = next },
            Items = [.. page.Select(o => new V1ConfigMap { Metadata = o.Metadata, Data = o.Data })],
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(list), context.RequestAborted);
    }

    private async Task StreamHistoryAsync(HttpContext context, string? ns)
    {
        var from = long.TryParse(context.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var v) ? v : currentVersion();
        var channel = Channel.CreateUnbounded<Change>();
        lock (gate)
        {
            foreach (var change in history.Where(h => h.Version > from))
            {
                channel.Writer.TryWrite(change);
            }

            watchers.Add(channel);
        }

        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        lifetime.CancelAfter(WatchLifetime);
        try
        {
            await WriteLinesAsync(context, []);
            await foreach (var change in channel.Reader.ReadAllAsync(lifetime.Token))
            {
                if (ns is null || change.Object.Metadata.NamespaceProperty == ns)
                {
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(WatchLines.Event(change.Type, change.Object) + "\n"), lifetime.Token);
                    await context.Response.Body.FlushAsync(lifetime.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The watch's lifetime ended or the client went away; either way the stream ends normally.
        }
        finally
        {
            lock (gate)
            {
                watchers.Remove(channel);
            }
        }
    }

    private sealed record Change(long Version, string Type, V1ConfigMap Object);
}
