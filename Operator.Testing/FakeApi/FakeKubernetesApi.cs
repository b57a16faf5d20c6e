// A small Kubernetes API on 127.0.0.1 (Kestrel, a free port) for runtime and host tests that need a server they can
// script: ConfigMap list and watch (FakeConfigMaps) and coordination.k8s.io/v1 Leases (FakeLeases). Invariant: one
// resourceVersion counter orders every write of both, as one etcd revision does. For everything else (patches,
// apply, validation, garbage collection, kubectl) tests use the emulator (EmulatorSession).
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Operator.Testing;

/// <summary>A scripted Kubernetes API serving ConfigMaps and Leases.</summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication app;
    private long version;

    private FakeKubernetesApi(WebApplication app)
    {
        this.app = app;
        ConfigMaps = new FakeConfigMaps(NextVersion, () => Interlocked.Read(ref version), v => Interlocked.Exchange(ref version, v));
        Leases = new FakeLeases(NextVersion);
    }

    public FakeConfigMaps ConfigMaps { get; }

    public FakeLeases Leases { get; }

    /// <summary>The server's address, http://127.0.0.1:PORT.</summary>
    public string BaseAddress => app.Urls.First();

    public static async Task<FakeKubernetesApi> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeKubernetesApi(app);
        api.ConfigMaps.Map(app);
        api.Leases.Map(app);
        await app.StartAsync(cancellationToken);
        return api;
    }

    /// <summary>Writes a kubeconfig (a bearer token user) pointing at this server into <paramref name="directory"/> and returns its path.</summary>
    public string WriteKubeConfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
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
            """));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private long NextVersion() => Interlocked.Increment(ref version);
}
