// An emulator with the Celery CRD installed (by kubectl, as a user would) and the Celery controller module
// running in-process against it as user "celery-operator", with short intervals so tests stay fast.
using System.Diagnostics.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Celery;
using Operator.Celery.Crd;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Emulator.Audit;
using Operator.Emulator.Hosting;
using Operator.IntegrationTests.Emulator;
using Operator.Runtime.Metrics;
using Operator.Runtime.Reconcile;

namespace Operator.IntegrationTests.Reconciliation;

internal sealed class OperatorUnderTest : IAsyncDisposable
{
    public const string OperatorUser = "celery-operator";

    private readonly CancellationTokenSource stop = new();
    private readonly MeterListener listener = new();
    private long reconciles;
    private Task running = Task.CompletedTask;

    private OperatorUnderTest(EmulatorSession session, Kubernetes operatorClient)
    {
        Session = session;
        OperatorClient = operatorClient;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName && instrument.Name == "controller_runtime_reconcile_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref reconciles, value));
        listener.Start();
    }

    public EmulatorSession Session { get; }

    public Kubernetes Client => Session.Client;

    public Kubernetes OperatorClient { get; }

    public AuditLog Audit => Session.Emulator.Audit;

    public CeleryControllerModule Module { get; private set; } = null!;

    /// <summary>Reconciles finished so far (all results).</summary>
    public long Reconciles => Interlocked.Read(ref reconciles);

    /// <param name="loggers">Where the module logs; nowhere when null.</param>
    public static async Task<OperatorUnderTest> StartAsync(bool installKeda = true, TimeSpan? resync = null, ILoggerFactory? loggers = null)
    {
        var session = await EmulatorSession.StartAsync(new EmulatorOptions { DeploymentControllerDelay = TimeSpan.FromMilliseconds(100) });
        await session.Kubectl.RunAsync("apply", "--server-side", "-f", Path.Combine(RepositoryRoot.Path, CeleryCustomResourceDefinition.RepositoryPath)).ContinueWith(t => t.Result.EnsureSuccess());
        if (installKeda)
        {
            await InstallKedaAsync(session);
        }

        var harness = new OperatorUnderTest(session, session.ClientFor(OperatorUser));
        harness.Module = new CeleryControllerModule(harness.OperatorClient, new CeleryControllerSettings
        {
            Controller = new ControllerOptions { MaxConcurrentReconciles = 4, ResyncPeriod = resync ?? TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(5) },
            Reconciler = new CeleryReconcilerOptions { KedaRecheckInterval = TimeSpan.FromMilliseconds(500) },
        }, loggers ?? NullLoggerFactory.Instance, metrics: new RuntimeMetrics());
        var informers = harness.Module.Informers.Select(i => i.RunAsync(harness.stop.Token)).ToList();
        harness.running = Task.WhenAll([.. informers, harness.Module.RunAsLeaderAsync(harness.stop.Token)]);
        return harness;
    }

    public static async Task InstallKedaAsync(EmulatorSession session) =>
        (await session.Kubectl.RunAsync("apply", "--server-side", "-f", Path.Combine(AppContext.BaseDirectory, "Reconciliation", "keda-crds.yaml"))).EnsureSuccess();

    public Task<KubectlResult> KubectlApplyAsync(string yaml) => Session.Kubectl.RunWithInputAsync(yaml, "apply", "--server-side", "-f", "-");

    // kubectl's generator commands (create namespace) send protobuf, which the emulator does not decode.
    public async Task CreateNamespaceAsync(string name) =>
        (await KubectlApplyAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n")).EnsureSuccess();

    public Task CreateSecretAsync(string @namespace, string name, IDictionary<string, string> data) =>
        Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace }, StringData = data }, @namespace);

    public async Task<CeleryResource?> GetCeleryAsync(string @namespace, string name)
    {
        try
        {
            var json = await Client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.JsonElement>(CeleryResource.Group, CeleryResource.Version, @namespace, CeleryResource.Plural, name);
            return KubernetesJson.Deserialize<CeleryResource>(json.GetRawText());
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<CeleryResource> WaitForConditionAsync(string @namespace, string name, string type, string status, string? reason = null, TimeSpan? timeout = null) =>
        (await Eventually.GetAsync(
            () => GetCeleryAsync(@namespace, name),
            c => c?.Status?.Conditions?.Any(x => x.Type == type && x.Status == status && (reason is null || x.Reason == reason) && x.ObservedGeneration == c.Metadata.Generation) == true,
            timeout ?? TimeSpan.FromSeconds(20),
            $"{@namespace}/{name} condition {type}={status} {reason}"))!;

    /// <summary>Writes the operator sent so far.</summary>
    public IReadOnlyList<AuditEntry> OperatorWrites() => Audit.Writes(OperatorUser);

    /// <summary>Waits until at least <paramref name="count"/> more reconciles than <paramref name="since"/> have finished.</summary>
    public Task WaitForReconcilesAsync(long since, int count = 1) =>
        Eventually.GetAsync(() => Task.FromResult(Reconciles), r => r >= since + count, TimeSpan.FromSeconds(20), $"{count} reconciles after {since}");

    /// <summary>
    /// Waits until nothing is queued and neither finished reconciles nor operator writes have moved over a few
    /// consecutive polls, so an in-flight reconcile's last write is not mistaken for a later one's.
    /// </summary>
    public async Task WaitForQuietAsync()
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        (long, int)? last = null;
        var stable = 0;
        while (stable < 4)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail("the operator did not go quiet before the deadline");
            }

            var now = (Reconciles, OperatorWrites().Count);
            stable = Module.Queue.Length == 0 && now == last ? stable + 1 : 0;
            last = now;
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (OperationCanceledException)
        {
        }

        listener.Dispose();
        stop.Dispose();
        OperatorClient.Dispose();
        await Session.DisposeAsync();
    }
}
