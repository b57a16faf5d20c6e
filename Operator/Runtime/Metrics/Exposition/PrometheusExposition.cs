using System.Text;

namespace Operator.Runtime.Metrics.Exposition;

/// <summary>
/// Writes metric families in the Prometheus text format or in OpenMetrics, with the same series and the same
/// label values in both, so Prometheus stores the same series whichever it negotiates:
/// <list type="bullet">
/// <item>A counter's samples are named as its instrument (which ends in <c>_total</c>); in OpenMetrics its family
/// (<c># TYPE</c>, <c># HELP</c>) is that name without <c>_total</c>, as the format requires. No <c>_created</c>
/// samples are written (they are optional, and Prometheus 2 would store each as one more series).</item>
/// <item>Histogram <c>le</c> values are canonical numbers (<see cref="PrometheusNumber.Canonical"/>).</item>
/// <item>Families are sorted by name and series by labels, so two scrapes differ only in values.</item>
/// </list>
/// </summary>
public static class PrometheusExposition
{
    private const string TotalSuffix = "_total";

    public static string Write(IEnumerable<MetricFamily> families, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        foreach (var family in families.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            WriteFamily(text, family, format);
        }

        if (format == ExpositionFormat.OpenMetrics)
        {
            text.Append("# EOF\n");
        }

        return text.ToString();
    }

    private static void WriteFamily(StringBuilder text, MetricFamily family, ExpositionFormat format)
    {
        var name = SanitizeName(family.Name);
        if (family.Type == MetricFamilyType.Counter && !name.EndsWith(TotalSuffix, StringComparison.Ordinal))
        {
            name += TotalSuffix;
        }

        var familyName = family.Type == MetricFamilyType.Counter && format == ExpositionFormat.OpenMetrics ? name[..^TotalSuffix.Length] : name;
        var type = family.Type switch
        {
            MetricFamilyType.Counter => "counter",
            MetricFamilyType.Histogram => "histogram",
            _ => "gauge",
        };
        if (format == ExpositionFormat.OpenMetrics)
        {
            text.Append("# TYPE ").Append(familyName).Append(' ').Append(type).Append('\n');
            AppendHelp(text, familyName, family.Help, format);
        }
        else
        {
            AppendHelp(text, familyName, family.Help, format);
            text.Append("# TYPE ").Append(familyName).Append(' ').Append(type).Append('\n');
        }

        foreach (var series in family.Series.OrderBy(s => LabelKey(s.Labels), StringComparer.Ordinal))
        {
            if (family.Type != MetricFamilyType.Histogram)
            {
                AppendSample(text, name, series.Labels, null, PrometheusNumber.Format(series.Value));
                continue;
            }

            long cumulative = 0;
            foreach (var (upperBound, count) in series.Buckets)
            {
                cumulative += count;
                AppendSample(text, name + "_bucket", series.Labels, PrometheusNumber.Canonical(upperBound), cumulative.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            AppendSample(text, name + "_sum", series.Labels, null, PrometheusNumber.Format(series.Sum));
            AppendSample(text, name + "_count", series.Labels, null, series.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void AppendHelp(StringBuilder text, string familyName, string help, ExpositionFormat format)
    {
        if (string.IsNullOrEmpty(help))
        {
            return;
        }

        text.Append("# HELP ").Append(familyName).Append(' ');
        foreach (var c in help)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' when format == ExpositionFormat.OpenMetrics => text.Append("\\\""),
                _ => text.Append(c),
            };
        }

        text.Append('\n');
    }

    private static void AppendSample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, string value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels)
            {
                AppendLabel(text, ref first, SanitizeName(key), labelValue);
            }

            if (le is not null)
            {
                AppendLabel(text, ref first, "le", le);
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static void AppendLabel(StringBuilder text, ref bool first, string key, string value)
    {
        if (!first)
        {
            text.Append(',');
        }

        first = false;
        text.Append(key).Append("=\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' => text.Append("\\\""),
                _ => text.Append(c),
            };
        }

        text.Append('"');
    }

    private static string LabelKey(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        string.Join('\u0001', labels.Select(l => $"{l.Key}\u0002{l.Value}"));

    /// <summary>Metric and label names may hold only letters, digits and underscores, and not start with a digit.</summary>
    private static string SanitizeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        var sanitized = new string(chars);
        return sanitized.Length > 0 && char.IsAsciiDigit(sanitized[0]) ? "_" + sanitized : sanitized;
    }
}
