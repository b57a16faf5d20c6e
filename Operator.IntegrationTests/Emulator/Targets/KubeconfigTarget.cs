// Any cluster a kubeconfig reaches, as a conformance target: the general case. The kubeconfig may name a platform
// team's own cluster (CELERY_OPERATOR_TEST_KUBECONFIG), a K3s this run started, or an emulator process this run
// started; the target treats all three as a real cluster it shares with others. Invariants: every session works in
// namespaces it creates and deletes (ClusterSession); what the suite needs cluster-wide (the Celery CRD) is
// installed only when absent and removed at the end of the run only if this run installed it; the cluster's
// controllers are probed once per kubeconfig, in a namespace of their own.
using System.Collections.Concurrent;
using Operator.Celery.Crd;

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>Runs the suites against the cluster a kubeconfig file reaches.</summary>
public abstract class KubeconfigTarget : ClusterTarget
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ClusterControllers>>> Controllers = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Lazy<Task<bool>>> InstalledCeleryCrds = new(StringComparer.Ordinal);

    public override TimeSpan SettleTimeout => TimeSpan.FromSeconds(90);

    // kube-apiserver sends bookmarks about once a minute.
    public override TimeSpan BookmarkWait => TimeSpan.FromSeconds(90);

    /// <summary>The kubeconfig to use, after starting whatever cluster it names.</summary>
    internal abstract Task<string> KubeconfigPathAsync(CancellationToken cancellationToken);

    internal override async Task<ClusterSession> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var path = await KubeconfigPathAsync(cancellationToken);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        return await ClusterSession.OpenAsync(this, client, path, RawWatchThrough(client), owned: null, cancellationToken);
    }

    internal override async Task<ClusterControllers> ControllersAsync(CancellationToken cancellationToken)
    {
        var path = await KubeconfigPathAsync(cancellationToken);
        return await Controllers.GetOrAdd(path, _ => new Lazy<Task<ClusterControllers>>(() => ProbeAsync(path))).Value.WaitAsync(cancellationToken);
    }

    /// <summary>Installs the Celery CRD by server-side apply if the cluster does not have it (once per run), and waits until it is served.</summary>
    internal async Task EnsureCeleryCrdAsync(CancellationToken cancellationToken)
    {
        var path = await KubeconfigPathAsync(cancellationToken);
        await InstalledCeleryCrds.GetOrAdd(path, _ => new Lazy<Task<bool>>(() => InstallCeleryCrdIfAbsentAsync(path))).Value.WaitAsync(cancellationToken);
    }

    /// <summary>Deletes the Celery CRD from every cluster where this run installed it.</summary>
    internal static async Task RemoveInstalledCrdsAsync()
    {
        foreach (var (path, installed) in InstalledCeleryCrds)
        {
            if (installed.IsValueCreated && await Task.WhenAny(installed.Value) is { IsCompletedSuccessfully: true } done && await done && File.Exists(path))
            {
                await new KubectlRunner(path).RunAsync("delete", "crd", CeleryCustomResourceDefinition.Name, "--ignore-not-found", "--wait=false");
            }
        }
    }

    /// <summary>A raw watch through the client's HTTP stack, authenticated by its credentials (token or client certificate).</summary>
    private static Func<string, Task<RawWatch>> RawWatchThrough(Kubernetes client) => async pathAndQuery =>
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, pathAndQuery));
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        }

        return await RawWatch.OpenAsync(client.HttpClient, request);
    };

    private static async Task<bool> InstallCeleryCrdIfAbsentAsync(string path)
    {
        var kubectl = new KubectlRunner(path);
        if ((await kubectl.RunAsync("get", "crd", CeleryCustomResourceDefinition.Name, "-o", "name")).ExitCode == 0)
        {
            return false;
        }

        (await kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File(CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
        (await kubectl.RunAsync("wait", "--for=condition=Established", $"crd/{CeleryCustomResourceDefinition.Name}", "--timeout=60s")).EnsureSuccess();
        return true;
    }

    private async Task<ClusterControllers> ProbeAsync(string path)
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        var probeNamespace = $"{ClusterSession.NamespacePrefix}probe-{Guid.NewGuid():N}"[..40];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = probeNamespace, Labels = new Dictionary<string, string> { [ClusterSession.TestNamespaceLabel] = "probe" } },
        });
        try
        {
            var controllers = await ClusterControllers.ProbeAsync(client, probeNamespace, SettleTimeout);
            await TestContext.Progress.WriteLineAsync($"{Name}: {controllers}");
            return controllers;
        }
        finally
        {
            await client.CoreV1.DeleteNamespaceAsync(probeNamespace);
        }
    }
}

/// <summary>The cluster named by <see cref="Variable"/>: a platform team's own K3s, kind or managed cluster.</summary>
public sealed class ExistingClusterTarget : KubeconfigTarget
{
    public const string Variable = "CELERY_OPERATOR_TEST_KUBECONFIG";

    public override string Name => "kubeconfig";

    public override string Category => "Kubeconfig";

    private static string? Path => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? System.IO.Path.GetFullPath(path) : null;

    public override string? Unavailable => Path switch
    {
        null => $"no cluster given: set {Variable}=PATH to a kubeconfig to run this fixture against that cluster",
        { } path when !File.Exists(path) => $"{Variable} names {path}, which does not exist",
        _ when !KubectlRunner.Installed => $"{Variable} is set but kubectl is not installed at {KubectlRunner.Executable}",
        _ => null,
    };

    internal override Task<string> KubeconfigPathAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Path ?? throw new InvalidOperationException($"{Variable} is not set"));
}
