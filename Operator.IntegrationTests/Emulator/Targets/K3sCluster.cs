// The one K3s container of a test run. Invariants: started at most once (the first session that needs it), its
// kubeconfig is the container's own (server URL rewritten by Testcontainers to the mapped port) written to a
// private file that both KubernetesClient and kubectl use, and it is stopped when the test run ends.
using Testcontainers.K3s;

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>A running K3s and the kubeconfig that reaches it.</summary>
internal sealed class K3sCluster : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static K3sCluster? shared;

    private readonly K3sContainer container;

    private K3sCluster(K3sContainer container, string kubeconfigPath)
    {
        this.container = container;
        KubeconfigPath = kubeconfigPath;
    }

    public string KubeconfigPath { get; }

    public static async Task<K3sCluster> SharedAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (shared is null)
            {
                var container = new K3sBuilder(K3sTarget.Image).Build();
                await container.StartAsync(cancellationToken);
                var path = Path.Combine(Path.GetTempPath(), $"k3s-{Guid.NewGuid():N}.yaml");
                await File.WriteAllTextAsync(path, await container.GetKubeconfigAsync(), cancellationToken);
                shared = new K3sCluster(container, path);
            }

            return shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the shared cluster, if one was started.</summary>
    public static async Task StopSharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (shared is not null)
            {
                await shared.DisposeAsync();
                shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await container.DisposeAsync();
        File.Delete(KubeconfigPath);
    }
}
