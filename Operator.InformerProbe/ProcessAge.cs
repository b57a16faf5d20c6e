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
        var startTicks = StatField(22);
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        return uptime - (startTicks / TicksPerSecond);
    }

    /// <summary>CPU seconds this process has used, user and system, all threads (fields 14 and 15 of /proc/self/stat).</summary>
    public static double CpuSeconds() => (StatField(14) + StatField(15)) / TicksPerSecond;

    // The command name (field 2) is in parentheses and may hold spaces; the fields after it are separated by spaces.
    private static long StatField(int number)
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
    }

    /// <summary>VmHWM from /proc/self/status, in bytes: the most memory this process has had resident.</summary>
    public static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return 1024 * long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }
}
