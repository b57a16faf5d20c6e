// One timed benchmark step: how many operations, wall-clock time and this process's CPU time (client and emulator
// share the process). CPU per operation is the figure to compare across runs: wall-clock rates on a shared 2-core
// machine depend on whatever else is running, which is why the load average is printed with them.
using System.Diagnostics;

namespace Operator.IntegrationTests.Emulator;

internal sealed record BenchmarkMeasurement(int Count, TimeSpan Elapsed, TimeSpan Cpu)
{
    public static async Task<BenchmarkMeasurement> TimeAsync(int count, Func<Task> work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await work();
        return new BenchmarkMeasurement(count, clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    public static string LoadAverage =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public string Describe(string what) =>
        $"{what}: {Count / Elapsed.TotalSeconds:F0}/s ({Count} in {Elapsed.TotalSeconds:F2}s; {Cpu.TotalMicroseconds / Count:F0} µs CPU each; load average {LoadAverage})";
}
