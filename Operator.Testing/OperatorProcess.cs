// The real operator executable as a separate process, as scripts/demo.sh and a Deployment run it: the one
// out-of-process harness of the tests and the benchmarks. It binds its probe and metrics ports to free local ports
// and logs them as text, which is how the harness learns them. Metrics are scraped as a cluster's Prometheus does:
// over HTTPS (the self-signed certificate not verified) with a bearer token when one is given, or plain HTTP when
// the caller turned secure metrics off (Operator:Metrics:Secure=false). Invariants: Kill sends SIGKILL (no cleanup
// runs), Terminate sends SIGTERM (the host drains and releases its lease); disposal kills what is still running
// and deletes the kubeconfig when the harness owns it.
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Operator.Testing;

/// <summary>One running operator process: its output, probes and metrics.</summary>
public sealed partial class OperatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan ListeningTimeout = TimeSpan.FromSeconds(60);
    private readonly LocalProcess process;
    private readonly Task<Match> listening;
    private readonly string? ownedKubeconfig;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly HttpClient metricsHttp;

    private OperatorProcess(LocalProcess process, string identity, string? ownedKubeconfig, string? metricsBearerToken)
    {
        this.process = process;
        this.ownedKubeconfig = ownedKubeconfig;
        Identity = identity;
        listening = process.WaitForLineAsync(ListeningLine(), Timeout.InfiniteTimeSpan, CancellationToken.None);
        metricsHttp = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (metricsBearerToken is not null)
        {
            metricsHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", metricsBearerToken);
        }
    }

    /// <summary>Its POD_NAME: the identity it holds the leader lease as.</summary>
    public string Identity { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines it printed.</summary>
    public string Output => process.Output;

    /// <summary>
    /// Starts <paramref name="assembly"/> with `dotnet` against the cluster <paramref name="kubeconfig"/> reaches, as
    /// <paramref name="identity"/>, with <paramref name="settings"/> added to its command line.
    /// </summary>
    /// <param name="ownsKubeconfig">Delete the kubeconfig when the process is disposed.</param>
    /// <param name="metricsBearerToken">The token sent with every metrics request (secure metrics authenticate it).</param>
    /// <param name="logDirectory">When given, every output line is also appended to a file there.</param>
    public static OperatorProcess Start(
        string assembly,
        string kubeconfig,
        string identity,
        IEnumerable<string> settings,
        bool ownsKubeconfig = false,
        string? metricsBearerToken = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? logDirectory = null)
    {
        var variables = new Dictionary<string, string?> { ["POD_NAME"] = identity, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        string[] arguments =
        [
            assembly,
            $"--Operator:Kubernetes:KubeConfigPath={kubeconfig}", "--Operator:ProbePort=0", "--Operator:Metrics:Port=0", "--Operator:BindAddress=127.0.0.1",
            "--Operator:LogFormat=Text",
            .. settings,
        ];
        var process = LocalProcess.Start($"operator {identity}", "dotnet", arguments, variables, Environment.CurrentDirectory, logDirectory: logDirectory);
        return new OperatorProcess(process, identity, ownsKubeconfig ? kubeconfig : null, metricsBearerToken);
    }

    /// <summary>The probe and metrics base addresses it logged.</summary>
    /// <exception cref="TimeoutException">It logged none within 60 s.</exception>
    /// <exception cref="InvalidOperationException">It exited before it listened.</exception>
    public async Task<(Uri Probes, Uri Metrics)> ListeningAsync(CancellationToken cancellationToken = default)
    {
        var match = await listening.WaitAsync(ListeningTimeout, cancellationToken).ConfigureAwait(false);
        return (new Uri(match.Groups["probes"].Value), new Uri(match.Groups["metrics"].Value));
    }

    /// <summary>GET /readyz: 200 "leader" or "standby" once synced; (0, error) when it did not answer in time.</summary>
    public async Task<(int Code, string Body)> ReadyzAsync(CancellationToken cancellationToken = default)
    {
        var (probes, _) = await ListeningAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await http.GetAsync(new Uri(probes, "/readyz"), cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim());
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A process still starting on a busy machine may answer slowly or not yet; the caller polls again.
            return (0, e.GetType().Name);
        }
    }

    /// <summary>GET /metrics with an optional Accept header: the content type and body.</summary>
    public async Task<(string ContentType, string Body)> MetricsAsync(string? accept = null, CancellationToken cancellationToken = default)
    {
        var (_, metrics) = await ListeningAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(metrics, "/metrics"));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await metricsHttp.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (response.Content.Headers.ContentType?.ToString() ?? string.Empty, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>SIGKILL: the process dies mid-whatever, no drain, no lease release.</summary>
    public Task KillAsync() => process.KillAsync();

    /// <summary>SIGTERM, the graceful path a kubelet takes, then waits for the exit.</summary>
    /// <exception cref="TimeoutException">It still ran after <paramref name="timeout"/>.</exception>
    public async Task TerminateAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await process.TerminateAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync().ConfigureAwait(false);
        http.Dispose();
        metricsHttp.Dispose();
        if (ownedKubeconfig is not null)
        {
            File.Delete(ownedKubeconfig);
        }
    }

    [GeneratedRegex(@"probes on (?<probes>http://127\.0\.0\.1:[0-9]+)/ and metrics on (?<metrics>https?://127\.0\.0\.1:[0-9]+)/")]
    private static partial Regex ListeningLine();
}
