using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Operator.Runtime.Hosting;

namespace Operator.IntegrationTests.Hosting;

/// <summary>
/// One operator host started in-process against a <see cref="FakeKubernetesApi"/> (or any API server) with a <see cref="CountingModule"/>,
/// listening on 127.0.0.1 on free ports, with a short lease so hand-over tests finish quickly. Metrics are plain HTTP
/// (<c>Operator:Metrics:Secure=false</c>): the fake API serves no TokenReview; SecureMetricsTests cover the default.
/// </summary>
internal sealed class TestOperator : IAsyncDisposable
{
    public const string LeaseName = "test-operator";

    private readonly WebApplication app;
    private bool stopped;

    private TestOperator(WebApplication app, CountingModule module)
    {
        this.app = app;
        Module = module;
        var listeners = app.Services.GetRequiredService<OperatorListeners>();
        Http = new HttpClient { BaseAddress = listeners.ProbeUrl, Timeout = TimeSpan.FromSeconds(10) };
        MetricsHttp = new HttpClient { BaseAddress = listeners.MetricsUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    public CountingModule Module { get; }

    /// <summary>The probe port.</summary>
    public HttpClient Http { get; }

    /// <summary>The metrics port.</summary>
    public HttpClient MetricsHttp { get; }

    public OperatorStatus Status => app.Services.GetRequiredService<OperatorStatus>();

    /// <summary>Fires when the host decides to stop, on its own or because it was asked.</summary>
    public CancellationToken ApplicationStopping => app.Lifetime.ApplicationStopping;

    public static Task<TestOperator> StartAsync(
        FakeKubernetesApi api,
        Timeline timeline,
        string identity,
        Action<CountingModule>? configure = null,
        params string[] extraArgs) =>
        StartAsync(api.WriteKubeConfig(Directory.CreateTempSubdirectory("operator-host-test").FullName), timeline, identity, configure, extraArgs);

    /// <summary>Starts a host against the API server a kubeconfig names.</summary>
    public static async Task<TestOperator> StartAsync(
        string kubeConfigPath,
        Timeline timeline,
        string identity,
        Action<CountingModule>? configure = null,
        params string[] extraArgs)
    {
        var app = OperatorHost.Build([.. Arguments(kubeConfigPath, identity), .. extraArgs], (services, _) => services.AddControllerModule(sp =>
        {
            var module = new CountingModule(sp, timeline, identity);
            configure?.Invoke(module);
            return module;
        }));
        await app.StartAsync();
        var module = app.Services.GetRequiredService<ControllerModules>().Modules.OfType<CountingModule>().Single();
        return new TestOperator(app, module);
    }

    /// <summary>The command line of a test host: a kubeconfig for the fake API, a free local port, a 3 s lease.</summary>
    public static string[] Arguments(FakeKubernetesApi api, string identity) =>
        Arguments(api.WriteKubeConfig(Directory.CreateTempSubdirectory("operator-host-test").FullName), identity);

    public static string[] Arguments(string kubeConfigPath, string identity) =>
    [
        "--Operator:ProbePort=0",
        "--Operator:Metrics:Port=0",
        "--Operator:Metrics:Secure=false",
        "--Operator:BindAddress=127.0.0.1",
        "--Operator:LogFormat=text",
        "--Operator:ShutdownTimeout=00:00:10",
        $"--Operator:Kubernetes:KubeConfigPath={kubeConfigPath}",
        $"--Operator:LeaderElection:Identity={identity}",
        "--Operator:LeaderElection:LeaseNamespace=ops",
        $"--Operator:LeaderElection:LeaseName={LeaseName}",
        "--Operator:LeaderElection:LeaseDuration=00:00:03",
        "--Operator:LeaderElection:RenewDeadline=00:00:02",
        "--Operator:LeaderElection:RetryPeriod=00:00:00.250",
    ];

    /// <summary>GET on the port serving <paramref name="path"/>: /metrics on the metrics port, the rest on the probe port.</summary>
    public async Task<(int Code, string Body)> GetAsync(string path)
    {
        using var response = await (path == PrometheusExport.Path ? MetricsHttp : Http).GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task StopAsync()
    {
        stopped = true;
        await app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopped)
        {
            await app.StopAsync();
        }

        Http.Dispose();
        MetricsHttp.Dispose();
        await app.DisposeAsync();
    }
}
