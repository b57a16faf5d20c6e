// One emulator per test, with a KubernetesClient and a kubeconfig for kubectl. Disposing stops the server and
// deletes the kubeconfig.
using k8s;
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

internal sealed class EmulatorSession : IAsyncDisposable
{
    private EmulatorSession(KubernetesEmulator emulator, string kubeconfigPath, string user)
    {
        Emulator = emulator;
        KubeconfigPath = kubeconfigPath;
        User = user;
        Client = ClientFor(user);
        Kubectl = new KubectlRunner(kubeconfigPath);
    }

    public KubernetesEmulator Emulator { get; }

    public string KubeconfigPath { get; }

    public string User { get; }

    public Kubernetes Client { get; }

    public KubectlRunner Kubectl { get; }

    public static async Task<EmulatorSession> StartAsync(EmulatorOptions? options = null, string user = "tester")
    {
        options ??= new EmulatorOptions();
        options = options with { EnforceSchemas = options.EnforceSchemas && PatchEngine.Available };
        var emulator = await KubernetesEmulator.StartAsync(options, CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.yaml");
        emulator.WriteKubeconfig(path, user);
        return new EmulatorSession(emulator, path, user);
    }

    /// <summary>A client authenticating as <paramref name="user"/> through the emulator's kubeconfig.</summary>
    public Kubernetes ClientFor(string user)
    {
        var path = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.yaml");
        Emulator.WriteKubeconfig(path, user);
        try
        {
            return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        File.Delete(KubeconfigPath);
    }
}
