// A real Prometheus on a free loopback port, scraping one target every second with Prometheus's default content
// negotiation (OpenMetrics first), with the namespace and pod labels a ServiceMonitor adds in a cluster, so the
// dashboard's and alerts' selectors match, evaluating a rule file every second. It scrapes as the shipped
// ServiceMonitor makes a cluster's Prometheus scrape: HTTPS without verifying the operator's self-signed
// certificate, with a bearer token read from a file (a service account token there). Disposing stops it and
// deletes its data.
using System.Globalization;
using System.Text.Json;
using Operator.IntegrationTests.Conformance;

namespace Operator.IntegrationTests.Monitoring;

internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Namespace = "celery-operator-system";
    public const string Pod = "celery-operator-0";
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private readonly string directory = Directory.CreateTempSubdirectory("prometheus-").FullName;
    private readonly int port = FreePort.Next();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private LocalProcess? process;

    private PrometheusServer() => http.BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/> (host:port) over HTTPS with <paramref name="bearerToken"/>,
    /// evaluating <paramref name="ruleFile"/>, and waits until it is ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string target, string bearerToken, string ruleFile)
    {
        var server = new PrometheusServer();
        try
        {
            await server.StartProcessAsync(target, bearerToken, ruleFile);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs an instant query: the result vector.</summary>
    /// <exception cref="InvalidOperationException">Prometheus rejected the query (the message says why).</exception>
    public async Task<JsonElement> QueryAsync(string promql) =>
        (await GetDataAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}", promql)).GetProperty("result");

    /// <summary>The values of <paramref name="label"/> on series matching <paramref name="selector"/> (Grafana's label_values).</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string selector, string label) =>
        [.. (await GetDataAsync($"/api/v1/label/{label}/values?match[]={Uri.EscapeDataString(selector)}", $"label_values({selector}, {label})")).EnumerateArray().Select(v => v.GetString()!)];

    /// <summary>Every loaded rule: its name, health ("ok", "err" or "unknown") and last error.</summary>
    public async Task<IReadOnlyList<(string Name, string Health, string LastError)>> RulesAsync()
    {
        var data = await GetDataAsync("/api/v1/rules", "rules");
        return [.. data.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("health").GetString()!, r.TryGetProperty("lastError", out var e) ? e.GetString() ?? string.Empty : string.Empty))];
    }

    /// <summary>The scrape target's health and last error as Prometheus reports them.</summary>
    public async Task<(string Health, string LastError)> TargetAsync()
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v1/targets", UriKind.Relative)));
        var target = json.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Single();
        return (target.GetProperty("health").GetString()!, target.GetProperty("lastError").GetString()!);
    }

    private async Task<JsonElement> GetDataAsync(string path, string what)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"{what} failed: {body}");
        }

        return json.RootElement.GetProperty("data").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }

        http.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private async Task StartProcessAsync(string target, string bearerToken, string ruleFile)
    {
        var tokenFile = Path.Combine(directory, "token");
        await File.WriteAllTextAsync(tokenFile, bearerToken);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {ScrapeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s
              evaluation_interval: {ScrapeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s
            rule_files: ["{ruleFile}"]
            scrape_configs:
              - job_name: celery-operator
                scheme: https
                authorization:
                  type: Bearer
                  credentials_file: {tokenFile}
                tls_config:
                  insecure_skip_verify: true
                static_configs:
                  - targets: ["{target}"]
                    labels:
                      namespace: {Namespace}
                      pod: {Pod}
            """);
        process = LocalProcess.Start("prometheus", LocalPrograms.Prometheus,
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn",
        ], new Dictionary<string, string?>(), directory);
        var started = process;
        await Eventually.UntilAsync("Prometheus is ready", TimeSpan.FromSeconds(30), async ct =>
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {started.ExitCode}: {started.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/-/ready", UriKind.Relative), ct);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, CancellationToken.None);
    }
}
