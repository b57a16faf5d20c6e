// The one K3s container of a test run. Invariants: started at most once, by the first session that needs it (a
// failed start is reported to every session, not retried per test); its kubeconfig is the container's own (server
// URL pointing at the mapped port) written to a private file that both KubernetesClient and kubectl use; it is
// stopped when the test run ends.
using Testcontainers.K3s;

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>A running K3s and the kubeconfig that reaches it.</summary>
internal sealed class K3sCluster : IAsyncDisposable
{
    private static readonly Lazy<Task<K3sCluster>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly K3sContainer container;

    private K3sCluster(K3sContainer container, string kubeconfigPath)
    {
        this.container = container;
        KubeconfigPath = kubeconfigPath;
    }

    public string KubeconfigPath { get; }

    public static async Task<K3sCluster> SharedAsync(CancellationToken cancellationToken) =>
        await Shared.Value.WaitAsync(cancellationToken);

    /// <summary>Stops the shared cluster, if one was started.</summary>
    public static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && await Task.WhenAny(Shared.Value) is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await container.DisposeAsync();
        File.Delete(KubeconfigPath);
    }

    private static async Task<K3sCluster> StartAsync()
    {
        var container = new K3sBuilder(K3sTarget.Image).Build();
        try
        {
            await container.StartAsync();
            var path = Path.Combine(Path.GetTempPath(), $"k3s-{Guid.NewGuid():N}.yaml");
            await File.WriteAllTextAsync(path, await container.GetKubeconfigAsync());
            return new K3sCluster(container, path);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }
}
