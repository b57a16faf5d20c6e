using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Hosting;

/// <summary>
/// Exports the <see cref="RuntimeMetrics.MeterName"/> meter on <c>/metrics</c> with exactly the instrument names
/// (controller-runtime's and client-go's), so existing dashboards work. The instruments already carry their unit
/// and <c>_total</c> suffixes, so the exporter appends none; scope labels and <c>target_info</c> are off because
/// controller-runtime's series have neither. Histograms use the upstream bucket layouts instead of OpenTelemetry's
/// millisecond-oriented defaults.
/// </summary>
public static class PrometheusExport
{
    public const string Path = "/metrics";

    /// <summary>
    /// The runtime's built-in meter (GC heap sizes, collections, working set, thread pool): what dotnet-counters
    /// shows, served on the same endpoint so memory is visible without attaching a tool.
    /// </summary>
    public const string DotNetRuntimeMeterName = "System.Runtime";

    /// <summary>controller-runtime's buckets for <c>controller_runtime_reconcile_time_seconds</c>.</summary>
    private static readonly double[] ReconcileTimeBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    /// <summary>client-go's workqueue buckets: powers of ten from 10 ns to 10 s.</summary>
    private static readonly double[] WorkQueueBuckets = [.. Enumerable.Range(0, 10).Select(i => 1e-8 * Math.Pow(10, i))];

    public static IServiceCollection AddPrometheusExport(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RuntimeMetrics.MeterName)
            .AddMeter(DotNetRuntimeMeterName)
            .AddView("controller_runtime_reconcile_time_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = ReconcileTimeBuckets })
            .AddView("workqueue_queue_duration_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = WorkQueueBuckets })
            .AddView("workqueue_work_duration_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = WorkQueueBuckets })
            .AddPrometheusExporter(o =>
            {
                o.ScrapeEndpointPath = Path;
                o.TranslationStrategy = PrometheusAspNetCoreTranslationStrategy.UnderscoreEscapingWithoutSuffixes;
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return services;
    }
}
