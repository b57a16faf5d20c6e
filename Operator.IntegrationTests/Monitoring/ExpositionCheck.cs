// Checks of a /metrics exposition by tools Prometheus's maintainers wrote: promtool's linter (the text format)
// and the Python client's parsers (its OpenMetrics parser is strict: family names, suffixes, canonical le).
using System.Text.Json;
using Operator.IntegrationTests.Conformance;

namespace Operator.IntegrationTests.Monitoring;

/// <summary>One parsed sample: its series (name and labels) and value.</summary>
internal sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The series identity, labels sorted: equal for the same series in either format.</summary>
    public string Series => $"{Name}{{{string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""))}}}";
}

internal static class ExpositionCheck
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    // Parses stdin with the named parser, rejects a non-canonical le in either format (the text parser does not
    // check it), and writes the samples as JSON to the file named by the second argument.
    private const string ParseScript = """
        import json, sys
        from prometheus_client.utils import floatToGoString
        if sys.argv[1] == "openmetrics":
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
        else:
            from prometheus_client.parser import text_string_to_metric_families
        samples = []
        for family in text_string_to_metric_families(sys.stdin.read()):
            for sample in family.samples:
                le = sample.labels.get("le")
                if le is not None and le != floatToGoString(float(le)):
                    raise ValueError("non-canonical le: " + repr(le) + " in " + sample.name)
                samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value})
        with open(sys.argv[2], "w") as out:
            json.dump(samples, out)
        """;

    /// <summary><c>promtool check metrics</c> on a text exposition: its exit code and everything it printed.</summary>
    public static Task<CommandResult> PromtoolCheckMetricsAsync(string exposition) =>
        LocalProcess.RunAsync(LocalPrograms.Promtool, ["check", "metrics"], new Dictionary<string, string?>(), Path.GetTempPath(), ToolTimeout, CancellationToken.None, exposition);

    /// <summary>Parses with the Python client's OpenMetrics (strict) or text parser; fails the test on a parse error.</summary>
    public static async Task<IReadOnlyList<ParsedSample>> ParseAsync(string exposition, bool openMetrics)
    {
        var output = Path.Combine(Path.GetTempPath(), $"exposition-{Guid.NewGuid():N}.json");
        try
        {
            var result = await LocalProcess.RunAsync(LocalPrograms.Python, ["-c", ParseScript, openMetrics ? "openmetrics" : "text", output],
                new Dictionary<string, string?>(), Path.GetTempPath(), ToolTimeout, CancellationToken.None, exposition);
            Assert.That(result.Succeeded, Is.True, $"the {(openMetrics ? "OpenMetrics" : "text")} parser rejected the exposition: {result}");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            return [.. json.RootElement.EnumerateArray().Select(s => new ParsedSample(
                s.GetProperty("name").GetString()!,
                s.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!, StringComparer.Ordinal),
                s.GetProperty("value").ValueKind == JsonValueKind.Number ? s.GetProperty("value").GetDouble() : double.NaN))];
        }
        finally
        {
            File.Delete(output);
        }
    }
}
