using System.Globalization;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Operator.IntegrationTests.Hosting;

/// <summary>
/// A small Kubernetes API on 127.0.0.1 for host tests: ConfigMap list and watch (one resourceVersion counter,
/// watches replay events newer than the requested version, then stream live ones and end after
/// <see cref="WatchLifetime"/>), and coordination.k8s.io/v1 Leases with optimistic concurrency. Lists can be held
/// back to observe a host before its informers sync. Every lease write's holder is kept in order.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private const string LeasesPath = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";

    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly Dictionary<string, V1ConfigMap> configMaps = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Type, V1ConfigMap Object)> history = [];
    private readonly List<Channel<(long Version, string Type, V1ConfigMap Object)>> watchers = [];
    private readonly Dictionary<string, V1Lease> leases = new(StringComparer.Ordinal);
    private readonly List<string> leaseHolders = [];
    private TaskCompletionSource listsReleased = CompletedSource();
    private long version;

    private FakeKubernetesApi(WebApplication app) => this.app = app;

    public string BaseAddress => app.Urls.First();

    /// <summary>How long a watch stays open before the server ends it normally.</summary>
    public TimeSpan WatchLifetime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Called on every lease write with its holder, inside the write.</summary>
    public Action<string>? OnLeaseWritten { get; set; }

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeKubernetesApi(app);
        app.MapGet("/api/v1/configmaps", context => api.ListOrWatchAsync(context, null));
        app.MapGet("/api/v1/namespaces/{ns}/configmaps", context => api.ListOrWatchAsync(context, (string)context.Request.RouteValues["ns"]!));
        app.MapGet(LeasesPath + "/{name}", api.ReadLease);
        app.MapPost(LeasesPath, api.CreateLeaseAsync);
        app.MapPut(LeasesPath + "/{name}", api.ReplaceLeaseAsync);
        await app.StartAsync();
        return api;
    }

    /// <summary>Writes a kubeconfig pointing at this server and returns its path.</summary>
    public string WriteKubeConfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {BaseAddress}
            users:
            - name: tester
              user:
                token: test-token
            contexts:
            - name: fake
              context:
                cluster: fake
                user: tester
            current-context: fake
            """);
        return path;
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

    public void Apply(string ns, string name, IDictionary<string, string> data) => Write("ADDED", "MODIFIED", new V1ConfigMap
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name },
        Data = data,
    });

    /// <summary>The holder written by each lease create or update, in order ("" is a release).</summary>
    public IReadOnlyList<string> LeaseHolders()
    {
        lock (gate)
        {
            return [.. leaseHolders];
        }
    }

    /// <summary>Another party writes itself into the lease, as a partitioned leader's successor would.</summary>
    public void StealLease(string ns, string name, string holder)
    {
        lock (gate)
        {
            var lease = leases[$"{ns}/{name}"];
            lease.Spec.HolderIdentity = holder;
            lease.Spec.RenewTime = DateTime.UtcNow;
            Store($"{ns}/{name}", lease, 200);
        }
    }

    public V1Lease? Lease(string ns, string name)
    {
        lock (gate)
        {
            return leases.GetValueOrDefault($"{ns}/{name}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    private static string Line(string type, object obj) => $"{{\"type\":\"{type}\",\"object\":{KubernetesJson.Serialize(obj)}}}\n";

    private void Write(string typeIfNew, string typeIfExisting, V1ConfigMap configMap)
    {
        lock (gate)
        {
            var key = $"{configMap.Metadata.NamespaceProperty}/{configMap.Metadata.Name}";
            var type = configMaps.ContainsKey(key) ? typeIfExisting : typeIfNew;
            version++;
            configMap.Metadata.ResourceVersion = version.ToString(CultureInfo.InvariantCulture);
            configMaps[key] = configMap;
            history.Add((version, type, configMap));
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite((version, type, configMap));
            }
        }
    }

    private async Task ListOrWatchAsync(HttpContext context, string? ns)
    {
        if (context.Request.Query["watch"] == "true")
        {
            await WatchAsync(context, ns);
            return;
        }

        Task released;
        lock (gate)
        {
            released = listsReleased.Task;
        }

        await released.WaitAsync(context.RequestAborted);
        V1ConfigMapList list;
        lock (gate)
        {
            list = new V1ConfigMapList
            {
                ApiVersion = "v1",
                Kind = "ConfigMapList",
                Metadata = new V1ListMeta { ResourceVersion = version.ToString(CultureInfo.InvariantCulture) },
                Items = [.. configMaps.Values.Where(c => ns is null || c.Metadata.NamespaceProperty == ns)],
            };
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(list), context.RequestAborted);
    }

    private async Task WatchAsync(HttpContext context, string? ns)
    {
        var from = long.Parse(context.Request.Query["resourceVersion"].ToString(), CultureInfo.InvariantCulture);
        var channel = Channel.CreateUnbounded<(long Version, string Type, V1ConfigMap Object)>();
        lock (gate)
        {
            foreach (var change in history.Where(h => h.Version > from))
            {
                channel.Writer.TryWrite(change);
            }

            watchers.Add(channel);
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        lifetime.CancelAfter(WatchLifetime);
        try
        {
            await foreach (var (_, type, obj) in channel.Reader.ReadAllAsync(lifetime.Token))
            {
                if (ns is null || obj.Metadata.NamespaceProperty == ns)
                {
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Line(type, obj)), lifetime.Token);
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

    private IResult ReadLease(string ns, string name)
    {
        lock (gate)
        {
            return leases.TryGetValue($"{ns}/{name}", out var lease)
                ? Results.Text(KubernetesJson.Serialize(lease), "application/json")
                : Status(404, "NotFound");
        }
    }

    private async Task<IResult> CreateLeaseAsync(string ns, HttpRequest request)
    {
        var lease = await ReadBodyAsync(request);
        lock (gate)
        {
            var key = $"{ns}/{lease.Metadata.Name}";
            if (leases.ContainsKey(key))
            {
                return Status(409, "AlreadyExists");
            }

            return Store(key, lease, 201);
        }
    }

    private async Task<IResult> ReplaceLeaseAsync(string ns, string name, HttpRequest request)
    {
        var lease = await ReadBodyAsync(request);
        lock (gate)
        {
            var key = $"{ns}/{name}";
            if (!leases.TryGetValue(key, out var current))
            {
                return Status(404, "NotFound");
            }

            if (lease.Metadata.ResourceVersion != current.Metadata.ResourceVersion)
            {
                return Status(409, "Conflict");
            }

            return Store(key, lease, 200);
        }
    }

    private IResult Store(string key, V1Lease lease, int statusCode)
    {
        version++;
        lease.Metadata.ResourceVersion = version.ToString(CultureInfo.InvariantCulture);
        leases[key] = lease;
        var holder = lease.Spec?.HolderIdentity ?? string.Empty;
        leaseHolders.Add(holder);
        OnLeaseWritten?.Invoke(holder);
        return Results.Text(KubernetesJson.Serialize(lease), "application/json", statusCode: statusCode);
    }

    private static async Task<V1Lease> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return KubernetesJson.Deserialize<V1Lease>(await reader.ReadToEndAsync());
    }

    /// <summary>A Status body written by hand: KubernetesClient's model cannot serialize V1Status.</summary>
    private static IResult Status(int code, string reason) => Results.Text(
        $"{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"{reason}\",\"code\":{code}}}",
        "application/json",
        statusCode: code);
}
