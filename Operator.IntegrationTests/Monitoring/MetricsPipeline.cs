// The operator's metrics pipeline without its web host: the services AddPrometheusExport registers (the meter
// provider with the operator's views, and the scraper /metrics reads) and the Celery module's declaration of its
// per-resource instruments, with its backlog and scaler instruments created from the same meter factory, as the
// module creates them. Scrape returns what GET /metrics
// would answer in the text format.
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Operator.Celery;
using Operator.Celery.Backlog;
using Operator.Celery.Scaling;
using Operator.Runtime.Hosting;
using Operator.Runtime.Metrics.Exposition;

namespace Operator.IntegrationTests.Monitoring;

/// <summary>The meter provider as the operator configures it, and the Celery instruments on it.</summary>
internal sealed class MetricsPipeline : IDisposable
{
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider services;
    private readonly MetricsScraper scraper;

    public MetricsPipeline(MetricsOptions options)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddMetrics();
        collection.AddPrometheusExport(options);
        CeleryControllerModule.AddMetricStreams(collection);
        services = collection.BuildServiceProvider();
        // The host resolves the provider when it starts; nothing is collected before.
        services.GetRequiredService<MeterProvider>();
        scraper = services.GetRequiredService<MetricsScraper>();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        Backlog = new BacklogMetrics(BacklogStore, meterFactory);
        Scaler = new BuiltinScalerMetrics(ScalerStore, meterFactory);
    }

    public BacklogStore BacklogStore { get; } = new();

    public BacklogMetrics Backlog { get; }

    public BuiltinScalerStore ScalerStore { get; } = new();

    public BuiltinScalerMetrics Scaler { get; }

    /// <summary>The text exposition of one collection.</summary>
    public string Scrape() => PrometheusExposition.Write(scraper.Collect(CollectTimeout), ExpositionFormat.Text);

    public void Dispose()
    {
        Backlog.Dispose();
        Scaler.Dispose();
        services.Dispose();
    }
}
