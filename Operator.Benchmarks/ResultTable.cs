// Collects one value per measurement per repeat per size and prints median and spread. Invariant: a cell's
// median, minimum and maximum come from the same set of repeats, and ratios are computed per repeat before
// their median is taken (a ratio of medians could pair values from different repeats).
using System.Globalization;
using System.Text;

namespace Operator.Benchmarks;

/// <summary>Values by size and measurement, over repeats.</summary>
public sealed class ResultTable
{
    private readonly SortedDictionary<int, Dictionary<Measurement, List<double>>> values = [];

    public void Add(int size, Measurement measurement, double value)
    {
        if (!values.TryGetValue(size, out var bySize))
        {
            bySize = [];
            values[size] = bySize;
        }

        if (!bySize.TryGetValue(measurement, out var list))
        {
            list = [];
            bySize[measurement] = list;
        }

        list.Add(value);
    }

    public string Render(MachineDescription machine, BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"machine: {machine}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"settings: concurrency {options.Concurrency}, repeats {options.Repeat}, steady window {options.SteadyWindow.TotalSeconds:F0}s, update rate {options.UpdateRate}/s, deployment controller delay {options.DeploymentDelay.TotalSeconds:F1}s, operator GC {(options.ServerGc ? "server (--server-gc)" : "workstation (as shipped)")}, operator memory limit {(options.MemoryLimit is { } limit ? $"{limit >> 20} MiB (GC heap limit {(limit * 3 / 4) >> 20} MiB)" : "none")}");
        text.AppendLine();
        text.AppendLine("| N | measurement | median | min | max | unit | repeats |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: | --- | ---: |");
        foreach (var (size, bySize) in values)
        {
            foreach (var measurement in Measurement.All)
            {
                if (bySize.TryGetValue(measurement, out var list) && list.Count > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"| {size} | {measurement.Name} | {Format(Percentiles.Median(list))} | {Format(list.Min())} | {Format(list.Max())} | {measurement.Unit} | {list.Count} |");
                }
            }
        }

        return text.ToString();
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
