using System.Globalization;

namespace Operator.Runtime.Metrics.Exposition;

/// <summary>The two exposition formats Prometheus reads.</summary>
public enum ExpositionFormat
{
    /// <summary>The Prometheus text format 0.0.4: what curl and most tools get.</summary>
    Text,

    /// <summary>OpenMetrics 1.0.0: what Prometheus asks for first by default.</summary>
    OpenMetrics,
}

/// <summary>Content negotiation and content types of <see cref="ExpositionFormat"/>.</summary>
public static class ExpositionFormats
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static string ContentType(this ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetrics ? OpenMetricsContentType : TextContentType;

    /// <summary>
    /// The format an <c>Accept</c> header prefers: OpenMetrics 1.x when it is offered with a weight at least that of
    /// the text format (Prometheus sends <c>application/openmetrics-text;version=1.0.0;q=0.5,...,text/plain;version=0.0.4;q=0.3,*/*;q=0.2</c>),
    /// else text, which is also the answer to no header at all.
    /// </summary>
    public static ExpositionFormat Negotiate(string? accept)
    {
        double openMetrics = 0, text = 0;
        foreach (var entry in (accept ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            var parameters = parts.Skip(1).Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].ToLowerInvariant(), p => p[1].Trim('"'), StringComparer.Ordinal);
            var weight = parameters.TryGetValue("q", out var q) && double.TryParse(q, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 1.0;
            var version = parameters.GetValueOrDefault("version");
            switch (parts[0].ToLowerInvariant())
            {
                case "application/openmetrics-text" when version is null || version.StartsWith("1.", StringComparison.Ordinal):
                    openMetrics = Math.Max(openMetrics, weight);
                    break;
                case "text/plain" when version is null || version == "0.0.4":
                case "text/*":
                case "*/*":
                    text = Math.Max(text, weight);
                    break;
            }
        }

        return openMetrics > 0 && openMetrics >= text ? ExpositionFormat.OpenMetrics : ExpositionFormat.Text;
    }
}
