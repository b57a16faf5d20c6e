// Per-resource series at a scale beyond the OpenTelemetry SDK's default cardinality limit (2,000 label sets per
// metric stream): every resource's queue, consumer, read-error and desired-replica series must be scraped, none
// folded into the SDK's otel.metric.overflow series, and the text must pass promtool. The stores are filled as the
// backlog reader and the builtin scaler fill them; the instruments, views and exposition are the operator's own.
using Operator.Celery.Backlog;
using Operator.Celery.Scaling;
using Operator.IntegrationTests.Conformance;
using Operator.IntegrationTests.Hosting;
using Operator.Runtime;
using Operator.Runtime.Hosting;

namespace Operator.IntegrationTests.Monitoring;

public sealed class MetricCardinalityTests
{
    /// <summary>Our resources' namespaces start with this, so series of other meters alive in the process are not counted.</summary>
    private const string NamespacePrefix = "cardinality-";

    /// <summary>The label the SDK puts on the series it folds measurements into once a stream is full.</summary>
    private const string OverflowLabel = "otel_metric_overflow";

    private static readonly (string Group, string[] Queues)[] Groups = [("default", ["celery"]), ("priority", ["high", "celery"])];
    private static readonly int QueueSeriesPerResource = Groups.Sum(g => g.Queues.Length);

    [Test]
    public async Task EveryResourceSeriesIsScrapedBeyondTheSdkDefaultLimit()
    {
        LocalPrograms.RequirePrometheus();
        const int Resources = 2_500;
        using var pipeline = new MetricsPipeline(new MetricsOptions { Secure = false });
        Publish(pipeline, Resources);

        var text = pipeline.Scrape();
        var scrape = PrometheusScrape.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(text.Contains(OverflowLabel, StringComparison.Ordinal), Is.False, "no series folded into the overflow series");
            Assert.That(Ours(scrape, "celery_queue_messages"), Is.EqualTo(Resources * QueueSeriesPerResource), "celery_queue_messages");
            Assert.That(Ours(scrape, "celery_queue_consumers"), Is.EqualTo(Resources * QueueSeriesPerResource), "celery_queue_consumers");
            Assert.That(Ours(scrape, "celery_backlog_read_errors_total"), Is.EqualTo(Resources * BacklogReadFailure.Reasons.Count), "celery_backlog_read_errors_total");
            Assert.That(Ours(scrape, BuiltinScalerMetrics.DesiredReplicas), Is.EqualTo(Resources * Groups.Length), BuiltinScalerMetrics.DesiredReplicas);
        });
        Assert.That(scrape.Find("celery_queue_messages", ("namespace", Namespace(Resources - 1)), ("celery", "app"), ("group", "priority"), ("queue", "high")).Single().Value,
            Is.EqualTo(Resources - 1), "the last resource's own reading");

        var lint = await ExpositionCheck.PromtoolCheckMetricsAsync(text);
        Assert.That(lint.Succeeded, Is.True, lint.ToString());
    }

    [Test]
    public void SeriesBeyondTheConfiguredLimitFoldIntoTheOverflowSeries()
    {
        const int Limit = 100;
        using var pipeline = new MetricsPipeline(new MetricsOptions { Secure = false, MaxSeriesPerResourceMetric = Limit });
        Publish(pipeline, Limit);

        var scrape = PrometheusScrape.Parse(pipeline.Scrape());
        var messages = scrape.Find("celery_queue_messages").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(messages.Count(s => !s.Labels.ContainsKey(OverflowLabel)), Is.EqualTo(Limit), "the limit's worth of series");
            Assert.That(messages.Count(s => s.Labels.ContainsKey(OverflowLabel)), Is.EqualTo(1), "the rest folded into one overflow series");
            // Counted over every series, not only ours: the pipeline listens to the operator's meter name, so a
            // test running beside this one in the process can hold some of the stream's label sets.
            Assert.That(scrape.Find(BuiltinScalerMetrics.DesiredReplicas).Count(s => !s.Labels.ContainsKey(OverflowLabel)), Is.EqualTo(Limit), "another per-resource stream holds the same limit");
        });
    }

    private static string Namespace(int index) => $"{NamespacePrefix}{index:D5}";

    /// <summary>Fills the stores as the backlog reader and the builtin scaler would for <paramref name="count"/> resources.</summary>
    private static void Publish(MetricsPipeline pipeline, int count)
    {
        var now = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var key = new ObjectKey(Namespace(i), "app");
            var groups = Groups.Select(g => (g.Group, (IReadOnlyList<string>)g.Queues)).ToList();
            var readings = Groups.SelectMany(g => g.Queues).Distinct(StringComparer.Ordinal)
                .Select(q => new QueueReading(q, i, 1, now, null, false)).ToList();
            pipeline.BacklogStore.Set(key, new BacklogObservation(groups, readings, null));
            pipeline.Backlog.Register(key);
            pipeline.ScalerStore.Set(key, Groups.ToDictionary(g => g.Group, _ => GroupScaling.Initial with { DesiredReplicas = 1 }, StringComparer.Ordinal));
        }
    }

    private static int Ours(PrometheusScrape scrape, string name) =>
        scrape.Find(name).Count(s => s.Labels.TryGetValue("namespace", out var ns) && ns.StartsWith(NamespacePrefix, StringComparison.Ordinal));
}
