// The operator executable as its own process, configured as a deployment would be (leader election off: one
// replica), with its probe and metrics ports on free local ports found from its start-up log. Metrics are plain
// HTTP (Operator:Metrics:Secure=false), so the measurements include no TLS handshakes or token reviews.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

using Operator.Testing;

namespace Operator.Benchmarks;

/// <summary>A running operator: its pid, /readyz and /metrics.</summary>
public sealed partial class OperatorProcess : IAsyncDisposable
{
    private readonly LocalProcess process;
    private readonly HttpClient http;

    private OperatorProcess(LocalProcess process, Uri metricsAddress, TimeSpan startToReady)
    {
        this.process = process;
        http = new HttpClient { BaseAddress = metricsAddress, Timeout = TimeSpan.FromSeconds(30) };
        StartToReady = startToReady;
    }

    public int ProcessId => process.Id;

    /// <summary>From process start to the first 200 from /readyz.</summary>
    public TimeSpan StartToReady { get; }

    public static async Task<OperatorProcess> StartAsync(RepositoryLayout layout, string kubeconfig, int maxConcurrentReconciles, TimeSpan resync, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string? logDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var clock = Stopwatch.StartNew();
        var process = DotnetProgram.Start("operator", layout.OperatorAssembly,
        [
            $"--Operator:Kubernetes:KubeConfigPath={kubeconfig}", "--Operator:ProbePort=0", "--Operator:Metrics:Port=0", "--Operator:Metrics:Secure=false", "--Operator:BindAddress=127.0.0.1",
            "--Operator:LogFormat=Text", "--Operator:LeaderElection:Enabled=false",
            $"--Operator:MaxConcurrentReconciles={maxConcurrentReconciles.ToString(CultureInfo.InvariantCulture)}",
            $"--Operator:ResyncPeriod={resync.ToString("c", CultureInfo.InvariantCulture)}",
        ], environment, logDirectory);
        try
        {
            var listening = await process.WaitForLineAsync(ListeningPattern(), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            using var probe = new HttpClient { BaseAddress = new Uri(listening.Groups["probes"].Value), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = clock.Elapsed + timeout;
            while (true)
            {
                try
                {
                    using var response = await probe.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return new OperatorProcess(process, new Uri(listening.Groups["metrics"].Value), clock.Elapsed);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not serving yet.
                }

                if (process.HasExited || clock.Elapsed > deadline)
                {
                    throw new InvalidOperationException($"the operator did not become ready:{Environment.NewLine}{process.Output}");
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ProcessMemory Memory() => ProcessMemory.Read(process.Id);

    /// <summary>The sum of every sample of one metric on /metrics (over its labels), or null when the operator does not export it.</summary>
    public async Task<double?> MetricSumAsync(string name, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
            {
                // "name{labels} value [timestamp]"
                var afterLabels = line[name.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[name.Length..];
                var value = afterLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    public string RecentOutput() => process.Output;

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await process.DisposeAsync().ConfigureAwait(false);
    }

    [GeneratedRegex(@"probes on (?<probes>http://127\.0\.0\.1:\d+)/ and metrics on (?<metrics>http://127\.0\.0\.1:\d+)/")]
    private static partial Regex ListeningPattern();
}
