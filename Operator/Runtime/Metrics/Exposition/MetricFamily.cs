namespace Operator.Runtime.Metrics.Exposition;

/// <summary>How a family is typed in the exposition.</summary>
public enum MetricFamilyType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>
/// One metric family as collected at a scrape: the instrument's name (already the Prometheus name, e.g.
/// <c>workqueue_adds_total</c>), its help text, type and series. A snapshot: it does not change after collection.
/// </summary>
public sealed record MetricFamily(string Name, string Help, MetricFamilyType Type, IReadOnlyList<MetricSeries> Series);

/// <summary>
/// One labelled series. Counters and gauges carry <see cref="Value"/>; histograms carry per-bucket (not cumulative)
/// <see cref="Buckets"/> ending with the +Inf bucket, plus <see cref="Count"/> and <see cref="Sum"/>.
/// </summary>
public sealed record MetricSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public IReadOnlyList<(double UpperBound, long Count)> Buckets { get; init; } = [];

    public long Count { get; init; }

    public double Sum { get; init; }
}
