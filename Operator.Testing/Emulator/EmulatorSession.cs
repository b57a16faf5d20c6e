// One emulator per test, with a KubernetesClient and a kubeconfig for kubectl, both as the session's user, who is in
// system:masters (the test is the cluster's administrator, whatever the emulator's authorization mode). Clients and
// kubectl runners for other identities are had from ClientFor and KubectlFor. Disposing stops the server and
// deletes every kubeconfig written.
using k8s;
using Operator.Emulator.Authorization;
using Operator.Emulator.Hosting;

namespace Operator.Testing;

/// <summary>An in-process emulator with an administrator client and kubectl.</summary>
public sealed class EmulatorSession : IAsyncDisposable
{
    private readonly List<string> kubeconfigs = [];

    private EmulatorSession(KubernetesEmulator emulator, string kubeconfigPath, string user)
    {
        Emulator = emulator;
        KubeconfigPath = kubeconfigPath;
        User = user;
        Client = ClientFor(user, [UserInfo.MastersGroup]);
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
        emulator.WriteKubeconfig(path, user, [UserInfo.MastersGroup]);
        return new EmulatorSession(emulator, path, user);
    }

    /// <summary>A client authenticating as <paramref name="user"/> (in <paramref name="groups"/>) through the emulator's kubeconfig.</summary>
    public Kubernetes ClientFor(string user, IReadOnlyList<string>? groups = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.yaml");
        Emulator.WriteKubeconfig(path, user, groups);
        try
        {
            return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>kubectl as <paramref name="user"/> (in <paramref name="groups"/>), through a kubeconfig deleted with the session.</summary>
    public KubectlRunner KubectlFor(string user, IReadOnlyList<string>? groups = null) => new(KubeconfigFor(user, groups));

    /// <summary>Writes a kubeconfig for <paramref name="user"/>, deleted with the session.</summary>
    public string KubeconfigFor(string user, IReadOnlyList<string>? groups = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.yaml");
        Emulator.WriteKubeconfig(path, user, groups);
        lock (kubeconfigs)
        {
            kubeconfigs.Add(path);
        }

        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        File.Delete(KubeconfigPath);
        foreach (var path in kubeconfigs)
        {
            File.Delete(path);
        }
    }
}
