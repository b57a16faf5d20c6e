// What the informer-peer scenario measured, and its table. Invariant: a ratio pairs two probers' runs from the same
// repeat and the same kind of start, and the table shows the median of those per-repeat ratios (a ratio of medians
// could pair runs from different repeats and machine loads).
using System.Globalization;
using System.Text;

namespace Operator.Benchmarks;

/// <summary>Time and CPU to synced, peak RSS and machine load per prober, kind of start and repeat.</summary>
public sealed class InformerPeerResults(int objects)
{
    /// <summary>The prober every other one is compared with.</summary>
    public const string Reference = "client-node";

    private readonly List<(int Repeat, string Prober, ProbeStart Start, ProbeResult Result, double Load)> runs = [];

    public void Add(int repeat, string prober, ProbeStart start, ProbeResult result, double load) => runs.Add((repeat, prober, start, result, load));

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"informer-peer: process start to a synced cache of {objects} ConfigMaps (cold: first start from a fresh copy of the program's files, evicted from the page cache; warm: the same copy again)");
        text.AppendLine();
        text.AppendLine("| prober | start | time to synced (median) | min | max | CPU to synced (median) | peak RSS (VmHWM, median) | time / client-node (median) | load (1 min, median) | repeats |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in runs.GroupBy(r => (r.Prober, r.Start)).OrderBy(g => g.Key.Start).ThenBy(g => g.Key.Prober == Reference ? 1 : 0))
        {
            var seconds = group.Select(r => r.Result.SecondsToSynced).ToList();
            var ratios = group
                .Select(r => runs.FirstOrDefault(o => o.Prober == Reference && o.Start == r.Start && o.Repeat == r.Repeat) is { Prober: not null } reference
                    ? r.Result.SecondsToSynced / reference.Result.SecondsToSynced
                    : double.NaN)
                .Where(r => !double.IsNaN(r))
                .ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key.Prober} | {group.Key.Start.ToString().ToLowerInvariant()} | {Percentiles.Median(seconds):F3} s | {seconds.Min():F3} | {seconds.Max():F3} | {Percentiles.Median([.. group.Select(r => r.Result.CpuSecondsToSynced)]):F2} s | {Percentiles.Median([.. group.Select(r => r.Result.PeakRssBytes / 1e6)]):F0} MB | {(ratios.Count == 0 ? "" : Percentiles.Median(ratios).ToString("F2", CultureInfo.InvariantCulture) + "x")} | {Percentiles.Median([.. group.Select(r => r.Load)]):F2} | {group.Count()} |");
        }

        return text.ToString();
    }
}
