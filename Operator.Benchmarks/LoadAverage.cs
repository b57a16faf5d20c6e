// The machine's load when a figure was taken (the machine may be shared), from /proc/loadavg.
using System.Globalization;

namespace Operator.Benchmarks;

/// <summary>The kernel's one-minute load average.</summary>
public static class LoadAverage
{
    public static double OneMinute() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
