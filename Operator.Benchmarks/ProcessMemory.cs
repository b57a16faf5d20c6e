// Reads a process's resident memory from /proc/<pid>/status: VmRSS (now) and VmHWM (the peak since start).
using System.Globalization;

namespace Operator.Benchmarks;

/// <summary>Resident set size now and at its peak, in bytes.</summary>
public sealed record ProcessMemory(long ResidentBytes, long PeakResidentBytes)
{
    public static ProcessMemory Read(int processId)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
        }

        return new ProcessMemory(rss, hwm);
    }

    // "VmRSS:	  123456 kB"
    private static long Kilobytes(string line) =>
        1024 * long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}
