using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Operator.Runtime.Metrics.Exposition;

/// <summary>
/// The pull side of the OpenTelemetry SDK for <c>/metrics</c>: <see cref="Reader"/> is added to the meter provider,
/// and each <see cref="Collect"/> runs one collection and snapshots what it produced as <see cref="MetricFamily"/>s.
/// Collections are serialized: the SDK's batch is only valid during the export call it is handed to.
/// </summary>
public sealed class MetricsScraper
{
    private readonly Lock gate = new();
    private readonly SnapshotExporter exporter = new();

    public MetricsScraper() => Reader = new BaseExportingMetricReader(exporter);

    /// <summary>The reader to add to the meter provider; the provider owns (and disposes) it.</summary>
    public MetricReader Reader { get; }

    public IReadOnlyList<MetricFamily> Collect(TimeSpan timeout)
    {
        lock (gate)
        {
            exporter.Collected = [];
            if (!Reader.Collect((int)timeout.TotalMilliseconds))
            {
                throw new TimeoutException($"Collecting metrics did not complete within {timeout}.");
            }

            return exporter.Collected;
        }
    }

    private sealed class SnapshotExporter : BaseExporter<Metric>
    {
        public List<MetricFamily> Collected { get; set; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                if (Snapshot(metric) is { } family)
                {
                    Collected.Add(family);
                }
            }

            return ExportResult.Success;
        }

        private static MetricFamily? Snapshot(Metric metric)
        {
            MetricFamilyType? type = metric.MetricType switch
            {
                MetricType.LongSum or MetricType.DoubleSum => MetricFamilyType.Counter,
                MetricType.LongGauge or MetricType.DoubleGauge or MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic => MetricFamilyType.Gauge,
                MetricType.Histogram => MetricFamilyType.Histogram,
                _ => null,
            };
            if (type is null)
            {
                return null;
            }

            var series = new List<MetricSeries>();
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var labels = new List<KeyValuePair<string, string>>();
                foreach (var tag in point.Tags)
                {
                    labels.Add(new(tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty));
                }

                series.Add(metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => new MetricSeries(labels, point.GetSumLong()),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => new MetricSeries(labels, point.GetSumDouble()),
                    MetricType.LongGauge => new MetricSeries(labels, point.GetGaugeLastValueLong()),
                    MetricType.DoubleGauge => new MetricSeries(labels, point.GetGaugeLastValueDouble()),
                    _ => Histogram(labels, point),
                });
            }

            return new MetricFamily(metric.Name, metric.Description, type.Value, series);
        }

        private static MetricSeries Histogram(List<KeyValuePair<string, string>> labels, in MetricPoint point)
        {
            var buckets = new List<(double, long)>();
            foreach (var bucket in point.GetHistogramBuckets())
            {
                buckets.Add((bucket.ExplicitBound, bucket.BucketCount));
            }

            return new MetricSeries(labels, 0) { Buckets = buckets, Count = point.GetHistogramCount(), Sum = point.GetHistogramSum() };
        }
    }
}
