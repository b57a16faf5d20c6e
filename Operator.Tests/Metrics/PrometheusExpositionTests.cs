using Operator.Runtime.Metrics.Exposition;

namespace Operator.Tests.Metrics;

public sealed class PrometheusExpositionTests
{
    private const string PrometheusDefaultAccept =
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    private static readonly MetricFamily Requests = new("api_requests_total", "Requests \"sent\", by verb.", MetricFamilyType.Counter,
    [
        new MetricSeries([new("verb", "LIST"), new("code", "200")], 7),
        new MetricSeries([new("verb", "GET"), new("code", "404")], 0),
    ]);

    private static readonly MetricFamily Wait = new("queue_wait_seconds", "Time waited.", MetricFamilyType.Histogram,
    [
        new MetricSeries([new("name", "celery")], 0) { Buckets = [(1e-8, 0), (0.005, 2), (1, 1), (10, 0), (double.PositiveInfinity, 1)], Count = 4, Sum = 21.5 },
    ]);

    private static readonly MetricFamily Leader = new("is_leader", "1 when leading.", MetricFamilyType.Gauge, [new MetricSeries([], 1)]);

    [TestCase(1.0, "1")]
    [TestCase(10.0, "10")]
    [TestCase(100000.0, "100000")]
    [TestCase(1e6, "1e+06")]
    [TestCase(1234567.0, "1.234567e+06")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00001, "1e-05")]
    [TestCase(1e-8, "1e-08")]
    [TestCase(0.005, "0.005")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(123.456, "123.456")]
    [TestCase(1.5e300, "1.5e+300")]
    [TestCase(0.0, "0")]
    [TestCase(double.PositiveInfinity, "+Inf")]
    [TestCase(double.NaN, "NaN")]
    public void NumbersAreWrittenAsGoWritesThem(double value, string expected) =>
        Assert.That(PrometheusNumber.Format(value), Is.EqualTo(expected));

    [TestCase(1.0, "1.0")]
    [TestCase(10.0, "10.0")]
    [TestCase(1e-8, "1e-08")]
    [TestCase(0.25, "0.25")]
    [TestCase(1e6, "1e+06")]
    [TestCase(double.PositiveInfinity, "+Inf")]
    public void BucketBoundsAreCanonical(double value, string expected) =>
        Assert.That(PrometheusNumber.Canonical(value), Is.EqualTo(expected));

    [TestCase(PrometheusDefaultAccept, ExpositionFormat.OpenMetrics)]
    [TestCase("application/openmetrics-text", ExpositionFormat.OpenMetrics)]
    [TestCase(null, ExpositionFormat.Text)]
    [TestCase("", ExpositionFormat.Text)]
    [TestCase("*/*", ExpositionFormat.Text)]
    [TestCase("text/plain;version=0.0.4", ExpositionFormat.Text)]
    [TestCase("application/openmetrics-text;version=0.0.1", ExpositionFormat.Text)]
    [TestCase("text/plain;q=0.9,application/openmetrics-text;q=0.5", ExpositionFormat.Text)]
    [TestCase("application/openmetrics-text;version=1.0.0;q=0", ExpositionFormat.Text)]
    public void TheAcceptHeaderChoosesTheFormat(string? accept, ExpositionFormat expected) =>
        Assert.That(ExpositionFormats.Negotiate(accept), Is.EqualTo(expected));

    [Test]
    public void TheTextFormatNamesCounterFamiliesAfterTheirSamples()
    {
        var text = PrometheusExposition.Write([Requests, Leader, Wait], ExpositionFormat.Text);

        Assert.That(text, Is.EqualTo(
            "# HELP api_requests_total Requests \"sent\", by verb.\n" +
            "# TYPE api_requests_total counter\n" +
            "api_requests_total{verb=\"GET\",code=\"404\"} 0\n" +
            "api_requests_total{verb=\"LIST\",code=\"200\"} 7\n" +
            "# HELP is_leader 1 when leading.\n" +
            "# TYPE is_leader gauge\n" +
            "is_leader 1\n" +
            "# HELP queue_wait_seconds Time waited.\n" +
            "# TYPE queue_wait_seconds histogram\n" +
            "queue_wait_seconds_bucket{name=\"celery\",le=\"1e-08\"} 0\n" +
            "queue_wait_seconds_bucket{name=\"celery\",le=\"0.005\"} 2\n" +
            "queue_wait_seconds_bucket{name=\"celery\",le=\"1.0\"} 3\n" +
            "queue_wait_seconds_bucket{name=\"celery\",le=\"10.0\"} 3\n" +
            "queue_wait_seconds_bucket{name=\"celery\",le=\"+Inf\"} 4\n" +
            "queue_wait_seconds_sum{name=\"celery\"} 21.5\n" +
            "queue_wait_seconds_count{name=\"celery\"} 4\n"));
    }

    [Test]
    public void OpenMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEof()
    {
        var text = PrometheusExposition.Write([Requests, Leader, Wait], ExpositionFormat.OpenMetrics);

        Assert.That(text, Does.StartWith(
            "# TYPE api_requests counter\n" +
            "# HELP api_requests Requests \\\"sent\\\", by verb.\n" +
            "api_requests_total{verb=\"GET\",code=\"404\"} 0\n"));
        Assert.That(text, Does.Contain("queue_wait_seconds_bucket{name=\"celery\",le=\"1.0\"} 3\n"));
        Assert.That(text, Does.Not.Contain("_created"));
        Assert.That(text, Does.EndWith("queue_wait_seconds_count{name=\"celery\"} 4\n# EOF\n"));
    }

    [Test]
    public void LabelValuesAreEscaped()
    {
        var family = new MetricFamily("odd", string.Empty, MetricFamilyType.Gauge, [new MetricSeries([new("path", "a\\b\"c\nd")], 1)]);

        Assert.That(PrometheusExposition.Write([family], ExpositionFormat.Text), Is.EqualTo("# TYPE odd gauge\nodd{path=\"a\\\\b\\\"c\\nd\"} 1\n"));
    }
}
