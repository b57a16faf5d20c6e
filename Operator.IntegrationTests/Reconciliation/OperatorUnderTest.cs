// The operator under test and the cluster it works on, in one of two shapes. On the in-process emulator: the Celery
// CRD installed by kubectl (as a user would), the controller module running in-process as user "celery-operator",
// the emulator's audit log and a simulated Deployment controller, in namespace "default" of an emulator of its own.
// On a kubeconfig target: a namespace of its own (celery-operator-test-...), the Celery CRD installed if absent,
// and the operator executable as a process watching only that namespace, its reconciles read from its /metrics.
// Both with short intervals so tests stay fast. What the cluster's controllers do is known (emulator) or probed.
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Celery;
using Operator.Celery.Backlog;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Emulator.Audit;
using Operator.IntegrationTests.Chaos;
using Operator.Runtime.Metrics;

namespace Operator.IntegrationTests.Reconciliation;

internal sealed class OperatorUnderTest : IAsyncDisposable
{
    public const string OperatorUser = CeleryOnEmulator.OperatorUser;

    private readonly CancellationTokenSource stop = new();
    private readonly MeterListener listener = new();
    private readonly EmulatorSession? emulator;
    private readonly ClusterSession? cluster;
    private OperatorProcess? process;
    private Kubernetes? operatorClient;
    private CeleryControllerModule? module;
    private long reconciles;
    private long unchangedReconciles;
    private Task running = Task.CompletedTask;

    private OperatorUnderTest(EmulatorSession? emulator, ClusterSession? cluster, ClusterControllers controllers)
    {
        this.emulator = emulator;
        this.cluster = cluster;
        Controllers = controllers;
        Client = emulator?.Client ?? cluster!.Client;
        Kubectl = emulator?.Kubectl ?? cluster!.Kubectl;
        Namespace = cluster?.Namespace ?? "default";
    }

    /// <summary>The namespace the test's resources live in (kubectl's default namespace).</summary>
    public string Namespace { get; }

    /// <summary>A client with administrator rights (the test's, not the operator's).</summary>
    public Kubernetes Client { get; }

    /// <summary>kubectl as the administrator, with <see cref="Namespace"/> as its default.</summary>
    public KubectlRunner Kubectl { get; }

    /// <summary>What the cluster's controllers do: garbage collection, Deployment rollouts.</summary>
    public ClusterControllers Controllers { get; }

    /// <summary>The emulator's audit log; null on a kubeconfig target, which has none the tests can read.</summary>
    public AuditLog? Audit => emulator?.Emulator.Audit;

    /// <summary>Fails the test if the in-process operator's tasks ended (they run until disposal).</summary>
    public void AssertRunning()
    {
        if (module is not null && running.IsCompleted)
        {
            Assert.Fail($"The operator stopped on its own: {running.Exception?.GetBaseException().Message ?? "completed"}");
        }
    }

    /// <summary>The controller module when it runs in-process (emulator targets), else null.</summary>
    public CeleryControllerModule? Module => module;

    /// <summary>The in-process emulator behind the operator, or null on a kubeconfig target.</summary>
    public EmulatorSession? Emulator => emulator;

    /// <summary>Starts the operator with an in-process emulator of its own.</summary>
    public static Task<OperatorUnderTest> StartAsync(bool installKeda = true, TimeSpan? resync = null, ILoggerFactory? loggers = null, BacklogOptions? backlog = null) =>
        StartAsync(new EmulatorTarget(), installKeda, resync, loggers, backlog);

    /// <summary>
    /// Starts the operator on <paramref name="target"/>; KEDA's CRDs are installed only on the in-process emulator, and
    /// only an operator in-process logs to <paramref name="loggers"/> (a process writes its own output).
    /// </summary>
    /// <param name="backlog">The backlog reader's settings; off unless given, since these tests' brokers do not exist.</param>
    public static async Task<OperatorUnderTest> StartAsync(ClusterTarget target, bool installKeda = true, TimeSpan? resync = null, ILoggerFactory? loggers = null, BacklogOptions? backlog = null)
    {
        if (target is KubeconfigTarget kubeconfig)
        {
            return await StartProcessAsync(kubeconfig, resync);
        }

        var session = await CeleryOnEmulator.StartClusterAsync(installKeda);

        var harness = new OperatorUnderTest(session, null, new ClusterControllers(GarbageCollector: true, DeploymentController: true, PodsBecomeReady: true));
        harness.operatorClient = session.ClientFor(OperatorUser);
        harness.listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName && instrument.Name is "controller_runtime_reconcile_total" or CleanReconcileMemo.UnchangedMetricName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        harness.listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            Interlocked.Add(ref instrument.Name == CleanReconcileMemo.UnchangedMetricName ? ref harness.unchangedReconciles : ref harness.reconciles, value));
        harness.listener.Start();
        (harness.module, harness.running) = CeleryOnEmulator.Run(harness.operatorClient, CeleryOnEmulator.FastSettings(resync) with { Backlog = backlog ?? new BacklogOptions { Enabled = false } }, loggers ?? NullLoggerFactory.Instance, new RuntimeMetrics(), harness.stop.Token);
        return harness;
    }

    private static async Task<OperatorUnderTest> StartProcessAsync(KubeconfigTarget target, TimeSpan? resync)
    {
        var controllers = await target.ControllersAsync(CancellationToken.None);
        await target.EnsureCeleryCrdAsync(CancellationToken.None);
        var session = await target.OpenSessionAsync(CancellationToken.None);
        var harness = new OperatorUnderTest(null, session, controllers);
        try
        {
            harness.process = OperatorProcess.StartOnCluster(await target.KubeconfigPathAsync(CancellationToken.None), $"celery-operator-{session.RunLabel}", ownsKubeconfig: false,
            [
                $"--Operator:Namespaces:0={session.Namespace}", "--Operator:MaxConcurrentReconciles=4", $"--Operator:ResyncPeriod={resync ?? TimeSpan.Zero:c}",
                "--Operator:ShutdownTimeout=00:00:05", "--Operator:LeaderElection:Enabled=true", $"--Operator:LeaderElection:LeaseNamespace={session.Namespace}",
                "--Operator:LeaderElection:RetryPeriod=00:00:00.2", "--Celery:KedaRecheckInterval=00:00:00.5",
                // The test reads reconcile counts from /metrics; on a cluster it has no token the cluster would authenticate.
                "--Operator:Metrics:Secure=false",
            ]);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public static Task InstallKedaAsync(KubectlRunner kubectl) => CeleryOnEmulator.InstallKedaAsync(kubectl);

    /// <summary>
    /// Installs ServiceMonitor (and PrometheusRule) in the shape of the Prometheus Operator's CRDs, from the stand-ins
    /// the manifest checks use: a CRD is all the operator needs to find ServiceMonitor served.
    /// </summary>
    public static async Task InstallPrometheusOperatorCrdsAsync(KubectlRunner kubectl)
    {
        (await kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File("Operator.IntegrationTests/Packaging/monitoring-stand-in-crds.yaml"))).EnsureSuccess();
        (await kubectl.RunAsync("wait", "--for", "condition=established", "--timeout=60s", "crd/servicemonitors.monitoring.coreos.com")).EnsureSuccess();
    }

    public Task<KubectlResult> KubectlApplyAsync(string yaml) => Kubectl.RunWithInputAsync(yaml, "apply", "--server-side", "-f", "-");

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

    /// <summary>How long the operator may take to act: longer when it is a process starting on a real cluster.</summary>
    public TimeSpan ActTimeout => process is null ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(60);

    public async Task<CeleryResource> WaitForConditionAsync(string @namespace, string name, string type, string status, string? reason = null, TimeSpan? timeout = null) =>
        (await Eventually.GetAsync(
            () => GetCeleryAsync(@namespace, name),
            c => c?.Status?.Conditions?.Any(x => x.Type == type && x.Status == status && (reason is null || x.Reason == reason) && x.ObservedGeneration == c.Metadata.Generation) == true,
            timeout ?? ActTimeout,
            $"{@namespace}/{name} condition {type}={status} {reason}{(process is null ? string.Empty : $"; operator log:\n{process.RecentLog}")}"))!;

    /// <summary>
    /// Waits until the operator has done all it can for the resource at its current generation: Ready=True where
    /// the cluster rolls Deployments out to ready pods; elsewhere Ready=False because the children are not ready yet
    /// (the operator applied them; the kubelet cannot run the placeholder image), with the reason in the test output.
    /// </summary>
    public async Task<CeleryResource> WaitForConvergedAsync(string name)
    {
        if (Controllers.NoRollouts is not { } reason)
        {
            return await WaitForConditionAsync(Namespace, name, CeleryConditions.Ready, "True");
        }

        await TestContext.Out.WriteLineAsync($"{name}: Ready=True not awaited: {reason}");
        return await WaitForConditionAsync(Namespace, name, CeleryConditions.Ready, "False", CeleryConditions.Reasons.ChildrenNotReady);
    }

    /// <summary>Writes the operator sent so far (in-process emulator only).</summary>
    public IReadOnlyList<AuditEntry> OperatorWrites() =>
        Audit?.Writes(OperatorUser) ?? throw new InvalidOperationException("only the in-process emulator has an audit log");

    /// <summary>Reconciles finished so far (all results).</summary>
    public async Task<long> ReconcilesAsync() =>
        process is null ? Interlocked.Read(ref reconciles) : (long)await process.MetricAsync("controller_runtime_reconcile_total");

    /// <summary>Reconciles that ended at once because their inputs were those of the last one that changed nothing.</summary>
    public async Task<long> UnchangedReconcilesAsync() =>
        process is null ? Interlocked.Read(ref unchangedReconciles) : (long)await process.MetricAsync(CleanReconcileMemo.UnchangedMetricName);

    /// <summary>Waits until at least <paramref name="count"/> more reconciles than <paramref name="since"/> have finished.</summary>
    public Task WaitForReconcilesAsync(long since, int count = 1) =>
        Eventually.GetAsync(ReconcilesAsync, r => r >= since + count, ActTimeout, $"{count} reconciles after {since}");

    /// <summary>
    /// Waits until nothing is queued and finished reconciles (and, on the emulator, the operator's writes) have not
    /// moved over a few consecutive polls, so an in-flight reconcile's last write is not mistaken for a later one's.
    /// </summary>
    public Task WaitForQuietAsync()
    {
        (long, int)? last = null;
        var stable = 0;
        return Eventually.TrueAsync(
            async () =>
            {
                var now = (await ReconcilesAsync(), Audit is null ? 0 : OperatorWrites().Count);
                var queued = module is not null ? module.Queue.Length : await process!.MetricAsync("workqueue_depth");
                stable = queued == 0 && now == last ? stable + 1 : 0;
                last = now;
                return stable >= 4;
            },
            "the operator goes quiet",
            TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Every object in <see cref="Namespace"/> owned by <paramref name="owner"/>, with its resourceVersion and the
    /// time of each managedFields entry, plus the owner's own status entries: equal snapshots mean nothing wrote to
    /// them in between, which any cluster can show without an audit log.
    /// </summary>
    public async Task<IReadOnlyList<string>> WrittenStateAsync(CeleryResource owner)
    {
        static IEnumerable<string> Entries(string kind, V1ObjectMeta meta) =>
            [$"{kind}/{meta.Name} rv={meta.ResourceVersion}", .. (meta.ManagedFields ?? []).Select(f => $"{kind}/{meta.Name} {f.Manager} {f.Operation} {f.Subresource} {f.Time:O}")];
        bool Owned(V1ObjectMeta meta) => meta.OwnerReferences?.Any(o => o.Uid == owner.Metadata.Uid) == true;
        var state = new List<string>();
        state.AddRange((await Client.AppsV1.ListNamespacedDeploymentAsync(Namespace)).Items.Where(o => Owned(o.Metadata)).SelectMany(o => Entries("deployment", o.Metadata)));
        state.AddRange((await Client.CoreV1.ListNamespacedServiceAsync(Namespace)).Items.Where(o => Owned(o.Metadata)).SelectMany(o => Entries("service", o.Metadata)));
        state.AddRange((await Client.CoreV1.ListNamespacedSecretAsync(Namespace)).Items.Where(o => Owned(o.Metadata)).SelectMany(o => Entries("secret", o.Metadata)));
        state.AddRange((await Client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(Namespace)).Items.Where(o => Owned(o.Metadata)).SelectMany(o => Entries("pdb", o.Metadata)));
        state.AddRange((await Client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(Namespace)).Items.Where(o => Owned(o.Metadata)).SelectMany(o => Entries("hpa", o.Metadata)));
        state.AddRange((await Client.NetworkingV1.ListNamespacedIngressAsync(Namespace)).Items.Where(o => Owned(o.Metadata)).SelectMany(o => Entries("ingress", o.Metadata)));
        var live = await GetCeleryAsync(Namespace, owner.Metadata.Name);
        state.AddRange((live?.Metadata.ManagedFields ?? []).Where(f => f.Subresource == "status").Select(f => $"celery/{owner.Metadata.Name} {f.Manager} status {f.Time:O}"));
        state.Sort(StringComparer.Ordinal);
        return state;
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

        if (process is not null)
        {
            await process.DisposeAsync();
        }

        listener.Dispose();
        stop.Dispose();
        operatorClient?.Dispose();
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
