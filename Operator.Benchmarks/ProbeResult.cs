// The line an informer probe prints when its cache is synced (Operator.InformerProbe/Program.cs and
// client-node/informer-probe.mjs write it):
//   {"prober":"operator","objects":20000,"secondsToSynced":0.51,"cpuSecondsToSynced":0.8,"peakRssBytes":123456789}
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Operator.Benchmarks;

/// <summary>What one probe run reported: objects cached, seconds from its process's start to synced, CPU seconds it used until then, its VmHWM then.</summary>
public sealed record ProbeResult(
    [property: JsonPropertyName("prober")] string Prober,
    [property: JsonPropertyName("objects")] int Objects,
    [property: JsonPropertyName("secondsToSynced")] double SecondsToSynced,
    [property: JsonPropertyName("cpuSecondsToSynced")] double CpuSecondsToSynced,
    [property: JsonPropertyName("peakRssBytes")] long PeakRssBytes)
{
    /// <summary>The result line in <paramref name="output"/>; throws with the output when there is none.</summary>
    public static ProbeResult Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("{\"prober\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the probe printed no result line:\n{output}");
        return JsonSerializer.Deserialize<ProbeResult>(line) ?? throw new InvalidOperationException($"unreadable probe result: {line}");
    }
}
