// Reads a process's consumed CPU time (user + system) from /proc/<pid>/stat, to tell which process a phase kept
// busy. Fields 14 and 15 count clock ticks; Linux reports them at USER_HZ = 100 on every mainstream architecture.
using System.Globalization;

namespace Operator.Benchmarks;

/// <summary>CPU time a process has used so far.</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    public static TimeSpan Read(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) is parenthesised and may contain spaces: count fields after its closing ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
