// How long ago the kernel started this process, and its peak resident memory, both read from /proc (Linux only).
// The start is the kernel's (field 22 of /proc/self/stat, in clock ticks since boot), not a clock started in Main,
// so runtime start-up, assembly loading and JIT before Main are counted. The client-node probe reads the same two
// files the same way, so both sides carry the same 10 ms tick resolution.
using System.Globalization;

namespace Operator.InformerProbe;

/// <summary>The age of the current process by the kernel's clock, and its peak resident set.</summary>
public static class ProcessAge
{
    // USER_HZ: the unit of the times /proc reports, 100 on every architecture Linux exports to user space.
    private const double TicksPerSecond = 100;

    /// <summary>Seconds since the kernel started this process (/proc/uptime minus the process's start time).</summary>
    public static double Seconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // The command name (field 2) is in parentheses and may hold spaces; fields after it are space-separated.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var startTicks = long.Parse(fields[19], CultureInfo.InvariantCulture); // field 22: field 3 is fields[0]
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return uptime - (startTicks / TicksPerSecond);
    }

    /// <summary>VmHWM from /proc/self/status, in bytes: the most memory this process has had resident.</summary>
    public static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return 1024 * long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }
}
