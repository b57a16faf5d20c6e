using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Operator.Runtime.LeaderElection;

namespace Operator.Tests.Runtime;

public sealed class KubernetesLeaseLockTests
{
    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/ops/leases";

    private WebApplication app = null!;
    private Kubernetes kubernetes = null!;
    private readonly Lock gate = new();
    private V1Lease? stored;
    private int version;

    [SetUp]
    public async Task SetUp()
    {
        stored = null;
        version = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapGet(LeasePath + "/{name}", ReadAsync);
        app.MapPost(LeasePath, CreateAsync);
        app.MapPut(LeasePath + "/{name}", ReplaceAsync);
        await app.StartAsync();
        kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = app.Urls.First() });
    }

    [TearDown]
    public async Task TearDown()
    {
        kubernetes.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Test]
    public async Task CreateReadAndUpdateWithOptimisticConcurrency()
    {
        var leaseLock = new KubernetesLeaseLock(kubernetes, "leader", "ops");
        var now = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

        Assert.That(await leaseLock.GetAsync(CancellationToken.None), Is.Null);
        await leaseLock.CreateAsync(new LeaderElectionRecord("me", 15, now, now, 0), CancellationToken.None);
        Assert.That(async () => await leaseLock.CreateAsync(new LeaderElectionRecord("you", 15, now, now, 0), CancellationToken.None), Throws.TypeOf<LeaseConflictException>());

        var observed = (await leaseLock.GetAsync(CancellationToken.None))!;
        Assert.That(observed.Record, Is.EqualTo(new LeaderElectionRecord("me", 15, now, now, 0)));

        var renewed = observed.Record with { RenewTime = now.AddSeconds(2) };
        await leaseLock.UpdateAsync(renewed, observed.ResourceVersion, CancellationToken.None);
        Assert.That(async () => await leaseLock.UpdateAsync(renewed, observed.ResourceVersion, CancellationToken.None), Throws.TypeOf<LeaseConflictException>(), "a stale resourceVersion loses");
        Assert.That((await leaseLock.GetAsync(CancellationToken.None))!.Record.RenewTime, Is.EqualTo(now.AddSeconds(2)));
    }

    [Test]
    public async Task AnElectorAcquiresAndReleasesARealLease()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var elector = new LeaderElector(
            new KubernetesLeaseLock(kubernetes, "leader", "ops"),
            new LeaderElectionOptions { Identity = "me", LeaseName = "leader", LeaseNamespace = "ops" },
            new LeaderCallbacks(token => Task.Delay(Timeout.Infinite, token), () => { }),
            time);
        using var stop = new CancellationTokenSource();
        var run = elector.RunAsync(stop.Token);

        await Eventually.AdvanceUntilAsync(time, TimeSpan.FromMilliseconds(500), () => elector.IsLeader, "the lease is acquired");
        lock (gate)
        {
            Assert.That(stored!.Spec.HolderIdentity, Is.EqualTo("me"));
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        lock (gate)
        {
            Assert.That(stored!.Spec.HolderIdentity, Is.Empty.Or.Null);
            Assert.That(stored.Spec.LeaseDurationSeconds, Is.EqualTo(1));
        }
    }

    private async Task ReadAsync(HttpContext context, string name)
    {
        V1Lease? lease;
        lock (gate)
        {
            lease = stored;
        }

        if (lease is null || lease.Metadata.Name != name)
        {
            await WriteStatusAsync(context, 404);
            return;
        }

        await WriteAsync(context, 200, lease);
    }

    private async Task CreateAsync(HttpContext context)
    {
        var lease = await ReadBodyAsync(context);
        lock (gate)
        {
            if (stored is not null)
            {
                lease = null;
            }
            else
            {
                lease.Metadata.ResourceVersion = (++version).ToString(System.Globalization.CultureInfo.InvariantCulture);
                stored = lease;
            }
        }

        await (lease is null ? WriteStatusAsync(context, 409) : WriteAsync(context, 201, lease));
    }

    private async Task ReplaceAsync(HttpContext context, string name)
    {
        var lease = await ReadBodyAsync(context);
        lock (gate)
        {
            if (stored is null || stored.Metadata.ResourceVersion != lease.Metadata.ResourceVersion || name != lease.Metadata.Name)
            {
                lease = null;
            }
            else
            {
                lease.Metadata.ResourceVersion = (++version).ToString(System.Globalization.CultureInfo.InvariantCulture);
                stored = lease;
            }
        }

        await (lease is null ? WriteStatusAsync(context, 409) : WriteAsync(context, 200, lease));
    }

    private static async Task<V1Lease> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return KubernetesJson.Deserialize<V1Lease>(await reader.ReadToEndAsync());
    }

    private static async Task WriteAsync(HttpContext context, int status, V1Lease lease)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubernetesJson.Serialize(lease));
    }

    private static async Task WriteStatusAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":{status}}}");
    }
}
