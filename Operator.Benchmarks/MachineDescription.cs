// Describes the machine a run happened on, so a table is never read without its context.
using System.Runtime.InteropServices;

namespace Operator.Benchmarks;

/// <summary>Cores, memory, OS and runtime of this machine.</summary>
public sealed record MachineDescription(int Cores, long MemoryBytes, string OperatingSystem, string Runtime, string Cpu)
{
    public static MachineDescription Current() => new(
        Environment.ProcessorCount,
        TotalMemory(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        CpuModel());

    public override string ToString() =>
        $"{Cores} cores ({Cpu}), {MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB memory, {OperatingSystem}, {Runtime}";

    private static long TotalMemory() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
