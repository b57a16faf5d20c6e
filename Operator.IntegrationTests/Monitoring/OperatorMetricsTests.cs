// The operator executable on an emulator, scraped by a real Prometheus over HTTPS with a bearer token, as the
// shipped ServiceMonitor scrapes it (every second, OpenMetrics negotiated as Prometheus does by default) while Celery resources are created, changed and deleted. One cluster, operator and
// Prometheus for the whole fixture keeps it to well under a minute; the first scrape is taken before any Celery
// resource exists, so it shows what Prometheus sees before the first event. One resource reads its backlog from a
// real RabbitMQ holding a few messages (RabbitMQ reports consumers too), so the queue series are in every later
// scrape; the fleet's Redis brokers do not resolve, so their reads fail and count errors.
using System.Text;
using System.Text.Json;
using Operator.Celery.Model;
using Operator.IntegrationTests.Chaos;
using Operator.IntegrationTests.Conformance;
using Operator.IntegrationTests.Hosting;
using Operator.Runtime.Metrics.Exposition;
using RabbitMQ.Client;

namespace Operator.IntegrationTests.Monitoring;

[NonParallelizable]
public sealed class OperatorMetricsTests
{
    /// <summary>What Prometheus 2.42 sends.</summary>
    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] WatchRestartReasons = ["closed", "expired", "inactivity", "error"];
    private static readonly string[] BacklogSeries = ["celery_queue_messages", "celery_queue_consumers", "celery_backlog_read_errors_total"];
    private const string BacklogNamespace = "metrics-backlog";
    private const string BacklogQueue = "metrics.waiting";
    private const int BacklogMessages = 3;

    private InProcessOperator cluster = null!;
    private OperatorProcess operatorProcess = null!;
    private PrometheusServer prometheus = null!;
    private RabbitMqServer? broker;
    private string firstScrape = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        LocalPrograms.RequirePrometheus();
        LocalPrograms.RequirePrometheusClient();
        LocalPrograms.RequireRabbitMq();
        using (var startup = new CancellationTokenSource(ProcessCluster.StartupTimeout * 2))
        {
            broker = await RabbitMqServer.StartNewAsync(startup.Token);
            await PublishAsync(broker, startup.Token);
        }

        cluster = await InProcessOperator.StartClusterAsync();
        operatorProcess = OperatorProcess.Start(cluster.Session.Emulator, "operator-metrics", ["--Operator:Backlog:Enabled=true", "--Operator:Backlog:Interval=00:00:02", "--Operator:Backlog:CallTimeout=00:00:01"]);
        await Eventually.UntilAsync("the operator leads", ProcessCluster.StartupTimeout, async _ => await operatorProcess.ReadyzAsync() == (200, "leader"), CancellationToken.None);
        // The controller registers once it leads, a moment after /readyz says so; its worker gauges appear last.
        firstScrape = await Eventually.UntilAsync("the controller is registered", ProcessCluster.StartupTimeout, async _ => (await operatorProcess.MetricsAsync()).Body,
            body => body.Contains("controller_runtime_max_concurrent_reconciles{controller=\"celery\"}", StringComparison.Ordinal), CancellationToken.None);

        // Prometheus authenticates as its own service account, which the emulator issued a token for.
        const string PrometheusUser = "system:serviceaccount:monitoring:prometheus";
        cluster.Session.KubeconfigFor(PrometheusUser);
        prometheus = await PrometheusServer.StartAsync(await operatorProcess.MetricsAddressAsync(), PrometheusUser, Path.Combine(RepositoryRoot.Path, "deploy", "helm", "celery-operator", "files", "alerts.yaml"));
        var fleet = new CeleryFleet(cluster.Client, ChaosScale.Seed, "metrics", perNamespace: 4);
        await fleet.CreateNamespacesAsync(8);
        await fleet.CreateAsync(8);
        await fleet.UpdateRandomAsync(8);
        foreach (var (ns, name) in fleet.Resources.Take(2))
        {
            await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(CeleryResource.Group, CeleryResource.Version, ns, CeleryResource.Plural, name);
        }

        await CreateBacklogResourceAsync(fleet);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (prometheus is not null)
        {
            await prometheus.DisposeAsync();
        }

        if (operatorProcess is not null)
        {
            await operatorProcess.DisposeAsync();
        }

        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    [Test]
    public void CounterSeriesExistAtZeroBeforeTheirFirstEvent()
    {
        var scrape = PrometheusScrape.Parse(firstScrape);
        var resources = scrape.Find("celery_operator_informer_synced").Select(s => s.Labels["resource"]).ToList();
        Assert.That(resources, Has.Count.GreaterThanOrEqualTo(5), "the informers are listed");
        Assert.Multiple(() =>
        {
            foreach (var resource in resources)
            {
                foreach (var reason in WatchRestartReasons)
                {
                    Assert.That(scrape.Find("celery_operator_watch_restarts_total", ("resource", resource), ("reason", reason)).Count(), Is.EqualTo(1), $"watch restarts of {resource} for {reason}");
                }

                Assert.That(scrape.Find("celery_operator_relists_total", ("resource", resource), ("reason", "expired")).Single().Value, Is.Zero, $"expired relists of {resource}");
            }

            Assert.That(scrape.Find("workqueue_adds_total", ("name", "celery")).Single().Value, Is.Zero, "adds before any Celery resource");
            Assert.That(scrape.Find("workqueue_retries_total", ("name", "celery")).Single().Value, Is.Zero, "retries before any Celery resource");
            Assert.That(scrape.Find("controller_runtime_reconcile_total", ("controller", "celery")).Count(), Is.EqualTo(4), "one series per result");
        });
    }

    [Test]
    public async Task TextPassesPromtoolAndOpenMetricsPassesTheStrictParserWithTheSameSeries()
    {
        await WaitForAsync("histograms have observations", async () => (await operatorProcess.MetricsAsync()).Body.Contains("workqueue_work_duration_seconds_bucket", StringComparison.Ordinal));
        await WaitForAsync("the backlog series are exported", async () =>
        {
            var body = (await operatorProcess.MetricsAsync()).Body;
            return BacklogSeries.All(name => body.Contains(name + "{", StringComparison.Ordinal));
        });

        // Two consecutive scrapes may differ when a new series (an API status code, say) appears in between; the
        // formats must agree on a pair taken while nothing new appeared.
        IReadOnlyList<ParsedSample> text = [], openMetrics = [];
        string textBody = string.Empty;
        await WaitForAsync("a text and an OpenMetrics scrape with the same series", async () =>
        {
            var (textType, textScrape) = await operatorProcess.MetricsAsync();
            var (openMetricsType, openMetricsScrape) = await operatorProcess.MetricsAsync(PrometheusAccept);
            Assert.That(textType, Is.EqualTo(ExpositionFormats.TextContentType));
            Assert.That(openMetricsType, Is.EqualTo(ExpositionFormats.OpenMetricsContentType));
            textBody = textScrape;
            text = await ExpositionCheck.ParseAsync(textScrape, openMetrics: false);
            openMetrics = await ExpositionCheck.ParseAsync(openMetricsScrape, openMetrics: true);
            return text.Select(s => s.Series).ToHashSet().SetEquals(openMetrics.Select(s => s.Series));
        });

        var lint = await ExpositionCheck.PromtoolCheckMetricsAsync(textBody);
        Assert.That(lint.Succeeded, Is.True, lint.ToString());
        Assert.That(lint.Output, Is.Empty, "promtool check metrics reports nothing");
        var bounds = openMetrics.Where(s => s.Name == "workqueue_queue_duration_seconds_bucket").Select(s => s.Labels["le"]).Distinct().ToList();
        Assert.That(bounds, Is.EqualTo(new[] { "1e-08", "1e-07", "1e-06", "1e-05", "0.0001", "0.001", "0.01", "0.1", "1.0", "10.0", "+Inf" }));
        Assert.That(text.Select(s => s.Name), Does.Contain("process_cpu_seconds_total").And.Contain("process_resident_memory_bytes").And.Contain("process_start_time_seconds"));
        Assert.That(text.Select(s => s.Name), Has.None.StartsWith("dotnet_").And.EndsWith("_count"), "no runtime gauge named like a histogram's count");
        Assert.That(openMetrics.Select(s => s.Name), Does.Contain("celery_backlog_read_errors_total").And.Contain("celery_queue_messages").And.Contain("celery_queue_consumers"),
            "the backlog series pass the strict parser too");

        var scrape = PrometheusScrape.Parse(textBody);
        var waiting = ("namespace", BacklogNamespace);
        Assert.Multiple(() =>
        {
            Assert.That(scrape.Find("celery_queue_messages", waiting, ("queue", BacklogQueue)).Single().Value, Is.EqualTo(BacklogMessages), "the broker's count of the queue");
            Assert.That(scrape.Find("celery_queue_consumers", waiting, ("queue", BacklogQueue)).Single().Value, Is.Zero, "nothing consumes the queue");
            Assert.That(scrape.Find("celery_backlog_read_errors_total").Where(s => s.Labels["namespace"] != BacklogNamespace).Sum(s => s.Value), Is.GreaterThan(0),
                "the fleet's unresolvable Redis brokers count read errors");
        });
    }

    [Test]
    public async Task PrometheusScrapesCleanlyAndStoresNoCreatedSeries()
    {
        await WaitForAsync("Prometheus has scraped the operator", async () => (await prometheus.QueryAsync("celery_operator_leader_is_leader")).GetArrayLength() == 1);
        var (health, lastError) = await prometheus.TargetAsync();
        Assert.That((health, lastError), Is.EqualTo(("up", string.Empty)));
        Assert.That((await prometheus.QueryAsync("count({__name__=~\".+_created\"})")).GetArrayLength(), Is.Zero, "no _created series");
        Assert.That((await prometheus.QueryAsync("count({__name__=~\".+_total_total\"})")).GetArrayLength(), Is.Zero, "no doubled suffixes");
    }

    [Test]
    public async Task EveryDashboardQueryEvaluatesAndShowsData()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "monitoring", "grafana-dashboard.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("targets", out var targets) ? targets.EnumerateArray().Select(t => (Title: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)) : [])
            .ToList();
        Assert.That(panels, Has.Count.GreaterThanOrEqualTo(17));

        // Grafana's variables as a user who picked this installation would have them.
        string Substitute(string expr) => expr.Replace("$namespace", PrometheusServer.Namespace, StringComparison.Ordinal)
            .Replace("$controller", "celery", StringComparison.Ordinal)
            .Replace("$__rate_interval", "1m", StringComparison.Ordinal);

        // Errors fail at once (QueryAsync throws); empty results are waited for while the churn is scraped.
        var empty = panels.Select(p => p.Title).ToList();
        await WaitForAsync("every dashboard query returns data", async () =>
        {
            var stillEmpty = new List<string>();
            foreach (var (title, expr) in panels)
            {
                if ((await prometheus.QueryAsync(Substitute(expr))).GetArrayLength() == 0)
                {
                    stillEmpty.Add($"{title}: {expr}");
                }
            }

            empty = stillEmpty;
            return empty.Count == 0;
        }, () => string.Join("\n", empty));

        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Where(v => v.GetProperty("type").GetString() == "query"))
        {
            var definition = Substitute(variable.GetProperty("definition").GetString()!);
            var match = System.Text.RegularExpressions.Regex.Match(definition, @"^label_values\((?<selector>.+), *(?<label>\w+)\)$");
            Assert.That(match.Success, Is.True, $"variable {variable.GetProperty("name").GetString()} is a label_values query: {definition}");
            var values = await prometheus.LabelValuesAsync(match.Groups["selector"].Value, match.Groups["label"].Value);
            Assert.That(values, Is.Not.Empty, definition);
        }
    }

    [Test]
    public async Task TheAlertRulesEvaluateWithoutErrorsAndStayQuietOnAHealthyOperator()
    {
        IReadOnlyList<(string Name, string Health, string LastError)> rules = [];
        await WaitForAsync("every rule has been evaluated", async () =>
        {
            rules = await prometheus.RulesAsync();
            return rules.Count > 0 && rules.All(r => r.Health != "unknown");
        });

        Assert.That(rules.Where(r => r.Health != "ok").Select(r => $"{r.Name}: {r.LastError}"), Is.Empty);
        Assert.That((await prometheus.QueryAsync("ALERTS")).EnumerateArray().Select(a => a.GetProperty("metric").GetProperty("alertname").GetString()), Is.Empty, "no alert is pending or firing");
    }

    /// <summary>Leaves <see cref="BacklogMessages"/> persistent messages in <see cref="BacklogQueue"/>, declared as Celery declares its queues.</summary>
    private static async Task PublishAsync(RabbitMqServer server, CancellationToken cancellationToken)
    {
        await using var connection = await server.ConnectAsync(server.BrokerUrl, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(BacklogQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        for (var i = 0; i < BacklogMessages; i++)
        {
            await channel.BasicPublishAsync(string.Empty, BacklogQueue, mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes($"message {i}"), cancellationToken);
        }
    }

    /// <summary>A resource whose one worker group consumes <see cref="BacklogQueue"/> on the RabbitMQ broker.</summary>
    private async Task CreateBacklogResourceAsync(CeleryFleet fleet)
    {
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = BacklogNamespace } });
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "broker" }, StringData = new Dictionary<string, string> { ["url"] = broker!.BrokerUrl } }, BacklogNamespace);
        await fleet.CreateAsync(BacklogNamespace, new JsonObject
        {
            ["apiVersion"] = $"{CeleryResource.Group}/{CeleryResource.Version}",
            ["kind"] = "Celery",
            ["metadata"] = new JsonObject { ["name"] = "waiting" },
            ["spec"] = new JsonObject
            {
                ["image"] = "example/app:1",
                ["app"] = "proj",
                ["broker"] = new JsonObject { ["type"] = "rabbitmq", ["urlSecretRef"] = new JsonObject { ["name"] = "broker", ["key"] = "url" } },
                ["workers"] = new JsonArray(new JsonObject { ["name"] = "default", ["queues"] = new JsonArray(BacklogQueue) }),
                ["flower"] = new JsonObject { ["enabled"] = false },
            },
        });
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; exceptions (a rejected query) fail the test at once.</summary>
    private static Task WaitForAsync(string what, Func<Task<bool>> condition, Func<string>? lastSeen = null) =>
        Eventually.TrueAsync(condition, what, Deadline, lastSeen);
}
