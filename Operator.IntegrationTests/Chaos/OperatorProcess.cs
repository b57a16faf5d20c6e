// The real operator executable as a separate process, as scripts/demo.sh runs it, against the test's emulator or any
// cluster a kubeconfig reaches (the reconciliation lifecycle on a kubeconfig target). On the emulator each process
// has its own kubeconfig naming its own emulator user (so the audit log tells instances apart); POD_NAME is its
// leader identity, text logs captured to learn its probe and metrics ports. Metrics are scraped as a cluster's
// Prometheus does by default: over HTTPS (the self-signed certificate not verified) with a bearer token, the
// process's own emulator user, which the emulator's TokenReview authenticates; elsewhere the caller asks for plain
// metrics (Operator:Metrics:Secure=false). Invariants: Kill sends SIGKILL (no cleanup
// runs), Terminate sends SIGTERM (the host drains and releases the lease); disposal kills what is still running.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Operator.Emulator.Hosting;
using Operator.IntegrationTests.Hosting;

namespace Operator.IntegrationTests.Chaos;

/// <summary>One operator process.</summary>
internal sealed partial class OperatorProcess : IAsyncDisposable
{
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two campaign attempts: client-go jitters the retry period by up to 1.2x.</summary>
    public static TimeSpan JitteredRetryPeriod => RetryPeriod * 2.2;

    private readonly Process process;
    private readonly string? ownedKubeconfig;
    private readonly TaskCompletionSource<(Uri Probes, Uri Metrics)> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> log = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly HttpClient metricsHttp;

    private OperatorProcess(Process process, string? ownedKubeconfig, string user)
    {
        this.process = process;
        this.ownedKubeconfig = ownedKubeconfig;
        User = user;
        metricsHttp = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        metricsHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user);
    }

    /// <summary>The emulator user (and leader identity) of this process.</summary>
    public string User { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string RecentLog => string.Join('\n', log.TakeLast(40));

    public static OperatorProcess Start(KubernetesEmulator emulator, string user)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"operator-{user}-{Guid.NewGuid():N}.yaml");
        emulator.WriteKubeconfig(kubeconfig, user);
        return Start(kubeconfig, user, ownsKubeconfig: true,
        [
            "--Operator:MaxConcurrentReconciles=4", "--Operator:ResyncPeriod=00:00:00", "--Operator:ShutdownTimeout=00:00:10",
            "--Operator:LeaderElection:Enabled=true", "--Operator:LeaderElection:LeaseNamespace=default",
            $"--Operator:LeaderElection:LeaseDuration={LeaseDuration:c}", $"--Operator:LeaderElection:RenewDeadline={RenewDeadline:c}", $"--Operator:LeaderElection:RetryPeriod={RetryPeriod:c}",
        ]);
    }

    /// <summary>
    /// The operator against the cluster <paramref name="kubeconfig"/> reaches, as <paramref name="identity"/> (its
    /// POD_NAME), with <paramref name="settings"/> added to its command line; the kubeconfig is deleted on disposal
    /// only when <paramref name="ownsKubeconfig"/>.
    /// </summary>
    public static OperatorProcess Start(string kubeconfig, string identity, bool ownsKubeconfig, IEnumerable<string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuildOutput.Program("Operator", "celery-operator.dll"));
        foreach (var argument in new[]
        {
            $"--Operator:Kubernetes:KubeConfigPath={kubeconfig}", "--Operator:ProbePort=0", "--Operator:Metrics:Port=0", "--Operator:BindAddress=127.0.0.1",
            "--Operator:LogFormat=Text",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["POD_NAME"] = identity;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var running = new OperatorProcess(process, ownsKubeconfig ? kubeconfig : null, identity);
        process.OutputDataReceived += (_, e) => running.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => running.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>SIGKILL: the process dies mid-whatever, no drain, no lease release.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful path a kubelet takes.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
    }

    /// <summary>GET /readyz: 200 "leader" or "standby" once synced; (0, error) when it did not answer in time.</summary>
    public async Task<(int Code, string Body)> ReadyzAsync()
    {
        var url = (await listening.Task.WaitAsync(TimeSpan.FromSeconds(30))).Probes;
        try
        {
            using var response = await http.GetAsync(new Uri(url, "/readyz"));
            return ((int)response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // A process still starting on a busy machine may answer slowly; the caller polls again.
            return (0, e.GetType().Name);
        }
    }

    /// <summary>host:port of the process's metrics listener, once it has logged it.</summary>
    public async Task<string> MetricsAddressAsync() => (await listening.Task.WaitAsync(TimeSpan.FromSeconds(30))).Metrics.Authority;

    /// <summary>GET /metrics with an optional Accept header: the content type and body.</summary>
    public async Task<(string ContentType, string Body)> MetricsAsync(string? accept = null)
    {
        var url = (await listening.Task.WaitAsync(TimeSpan.FromSeconds(30))).Metrics;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/metrics"));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await metricsHttp.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (response.Content.Headers.ContentType?.ToString() ?? string.Empty, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The reconcile and retry counters from the process's /metrics.</summary>
    public async Task<CounterReading> ScrapeAsync()
    {
        var url = (await listening.Task.WaitAsync(TimeSpan.FromSeconds(30))).Metrics;
        var scrape = PrometheusScrape.Parse(await metricsHttp.GetStringAsync(new Uri(url, "/metrics")));
        return new CounterReading(
            (long)scrape.Find("controller_runtime_reconcile_total").Sum(s => s.Value),
            (long)scrape.Find("controller_runtime_reconcile_total", ("result", "error")).Sum(s => s.Value),
            (long)scrape.Find("workqueue_retries_total").Sum(s => s.Value));
    }

    /// <summary>The sum over every series of <paramref name="metric"/> on the process's /metrics.</summary>
    public async Task<double> MetricAsync(string metric)
    {
        var url = (await listening.Task.WaitAsync(TimeSpan.FromSeconds(30))).Metrics;
        return PrometheusScrape.Parse(await metricsHttp.GetStringAsync(new Uri(url, "/metrics"))).Find(metric).Sum(s => s.Value);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        http.Dispose();
        metricsHttp.Dispose();
        if (ownedKubeconfig is not null)
        {
            File.Delete(ownedKubeconfig);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > 200)
        {
            log.TryDequeue(out _);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult((new Uri(match.Groups["probes"].Value), new Uri(match.Groups["metrics"].Value)));
        }
    }

    [GeneratedRegex(@"probes on (?<probes>http://127\.0\.0\.1:[0-9]+)/ and metrics on (?<metrics>https?://127\.0\.0\.1:[0-9]+)/")]
    private static partial Regex ListeningLine();
}
