using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Operator.Runtime.Metrics;
using Operator.Runtime.Metrics.Exposition;
using Operator.Runtime.Queue;

namespace Operator.Tests.Runtime;

public sealed class RuntimeMetricsTests
{
    [Test]
    public async Task InstrumentsHaveThePrometheusNamesAndQueuesReportIntoThem()
    {
        using var metrics = new RuntimeMetrics();
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == null || instrument.Meter.Name != RuntimeMetrics.MeterName)
            {
                return;
            }

            l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => Record(i, v));
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => Record(i, v));
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => Record(i, v));
        listener.Start();

        metrics.RegisterController("things", 2, () => 1);
        using var queue = new RateLimitingQueue<string>("things", new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1)), new FakeTimeProvider(), metrics);
        queue.Add("a");
        var item = await queue.GetAsync(CancellationToken.None);
        queue.Done(item!);
        queue.AddRateLimited("a");
        metrics.ReconcileFinished("things", ReconcileOutcome.Error, TimeSpan.FromMilliseconds(3));
        metrics.WatchRestarted("things.example.com", WatchRestartReason.Expired);
        metrics.Relisted("things.example.com", RelistReason.Initial);
        metrics.ApiRequest("LIST", 200);
        metrics.InformerSynced("things.example.com", true);
        metrics.LeaderChanged(true);
        listener.RecordObservableInstruments();

        Assert.That(seen.Keys, Is.SupersetOf(new[]
        {
            "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds",
            "controller_runtime_max_concurrent_reconciles", "controller_runtime_active_workers",
            "workqueue_depth", "workqueue_adds_total", "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds",
            "workqueue_retries_total", "workqueue_unfinished_work_seconds", "workqueue_longest_running_processor_seconds",
            "celery_operator_watch_restarts_total", "celery_operator_relists_total", "celery_operator_api_requests_total",
            "celery_operator_informer_synced", "celery_operator_leader_is_leader",
        }));
        Assert.That(seen["workqueue_adds_total"], Is.EqualTo(1));
        Assert.That(seen["workqueue_retries_total"], Is.EqualTo(1));
        Assert.That(seen["controller_runtime_reconcile_errors_total"], Is.EqualTo(1));
        Assert.That(seen["celery_operator_leader_is_leader"], Is.EqualTo(1));

        void Record(Instrument instrument, double value)
        {
            lock (seen)
            {
                seen[instrument.Name] = seen.GetValueOrDefault(instrument.Name) + value;
            }
        }
    }

    [Test]
    public void EveryKnownCounterSeriesIsExportedAtZeroBeforeItsFirstEvent()
    {
        var scraper = new MetricsScraper();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(RuntimeMetrics.MeterName).AddReader(scraper.Reader).Build();
        using var metrics = new RuntimeMetrics();

        metrics.RegisterInformer("things.example.com");
        using var queue = new RateLimitingQueue<string>("things", new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1)), new FakeTimeProvider(), metrics);
        metrics.RegisterController("things", 2, () => 0);
        var text = PrometheusExposition.Write(scraper.Collect(TimeSpan.FromSeconds(5)), ExpositionFormat.Text);

        foreach (var reason in new[] { "closed", "expired", "inactivity", "error" })
        {
            Assert.That(text, Does.Contain($"celery_operator_watch_restarts_total{{reason=\"{reason}\",resource=\"things.example.com\"}} 0\n"));
        }

        Assert.That(text, Does.Contain("celery_operator_relists_total{reason=\"initial\",resource=\"things.example.com\"} 0\n"));
        Assert.That(text, Does.Contain("celery_operator_relists_total{reason=\"expired\",resource=\"things.example.com\"} 0\n"));
        Assert.That(text, Does.Contain("celery_operator_informer_synced{resource=\"things.example.com\"} 0\n"));
        Assert.That(text, Does.Contain("workqueue_adds_total{controller=\"things\",name=\"things\"} 0\n"));
        Assert.That(text, Does.Contain("workqueue_retries_total{controller=\"things\",name=\"things\"} 0\n"));
        Assert.That(text, Does.Contain("controller_runtime_reconcile_total{controller=\"things\",result=\"requeue_after\"} 0\n"));

        metrics.WatchRestarted("things.example.com", WatchRestartReason.Inactivity);
        text = PrometheusExposition.Write(scraper.Collect(TimeSpan.FromSeconds(5)), ExpositionFormat.Text);
        Assert.That(text, Does.Contain("celery_operator_watch_restarts_total{reason=\"inactivity\",resource=\"things.example.com\"} 1\n"));
    }
}
