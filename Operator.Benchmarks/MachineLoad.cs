// The machine's load average, recorded beside measurements taken on a machine others share: a figure measured at a
// load of 6 on 2 cores is not comparable with one measured idle.
using System.Globalization;

namespace Operator.Benchmarks;

/// <summary>Reads /proc/loadavg.</summary>
public static class MachineLoad
{
    /// <summary>Runnable and waiting tasks averaged over the last minute, as uptime prints it.</summary>
    public static double OneMinuteAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
