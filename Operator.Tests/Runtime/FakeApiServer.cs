using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Operator.Tests.Runtime;

/// <summary>
/// A Kestrel server on 127.0.0.1 serving list and watch of ConfigMaps from a script: lists page through the
/// current objects; each watch request runs the next scripted behaviour (or waits silently when none is left).
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> watchScripts = new();
    private readonly Lock gate = new();
    private List<V1ConfigMap> objects = [];
    private string listResourceVersion = "1";

    private FakeApiServer(WebApplication app) => this.app = app;

    public ConcurrentQueue<string> Lists { get; } = new();

    /// <summary>The resourceVersion of each watch request, in order.</summary>
    public ConcurrentQueue<string> Watches { get; } = new();

    public string BaseAddress => app.Urls.First();

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.MapGet("/api/v1/configmaps", server.ServeAsync);
        app.MapGet("/api/v1/namespaces/{ns}/configmaps", server.ServeAsync);
        await app.StartAsync();
        return server;
    }

    public static V1ConfigMap ConfigMap(string ns, string name, string rv) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { NamespaceProperty = ns, Name = name, ResourceVersion = rv },
    };

    public static string EventLine(string type, object obj) =>
        $"{{\"type\":\"{type}\",\"object\":{KubernetesJson.Serialize(obj)}}}";

    public static string GoneLine() =>
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}}";

    public void SetObjects(string resourceVersion, params V1ConfigMap[] items)
    {
        lock (gate)
        {
            objects = [.. items];
            listResourceVersion = resourceVersion;
        }
    }

    /// <summary>The next watch sends these lines, then ends the stream normally.</summary>
    public void WatchSendsThenCloses(params string[] lines) => watchScripts.Enqueue(async context =>
    {
        await WriteLinesAsync(context, lines);
    });

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
        await context.Response.WriteAsync("{\"kind\":\"Status\",\"code\":" + statusCode.ToString(CultureInfo.InvariantCulture) + "}");
    });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task WriteLinesAsync(HttpContext context, string[] lines)
    {
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync();
        foreach (var line in lines)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            await context.Response.Body.FlushAsync();
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

    private async Task ServeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["watch"] == "true")
        {
            Watches.Enqueue(query["resourceVersion"].ToString());
            if (watchScripts.TryDequeue(out var script))
            {
                await script(context);
            }
            else
            {
                await WriteLinesAsync(context, []);
                await HangAsync(context);
            }

            return;
        }

        Lists.Enqueue(context.Request.QueryString.Value ?? string.Empty);
        var ns = context.Request.RouteValues["ns"] as string;
        List<V1ConfigMap> all;
        string rv;
        lock (gate)
        {
            all = [.. objects.Where(o => ns is null || o.Metadata.NamespaceProperty == ns)];
            rv = listResourceVersion;
        }

        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : int.MaxValue;
        var start = int.TryParse(query["continue"], CultureInfo.InvariantCulture, out var c) ? c : 0;
        var page = all.Skip(start).Take(limit).ToList();
        var next = start + page.Count < all.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        var list = new V1ConfigMapList
        {
            ApiVersion = "v1",
            Kind = "ConfigMapList",
            Metadata = new V1ListMeta { ResourceVersion = rv, ContinueProperty = next },
            Items = [.. page.Select(o => new V1ConfigMap { Metadata = o.Metadata, Data = o.Data })],
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(list));
    }
}
