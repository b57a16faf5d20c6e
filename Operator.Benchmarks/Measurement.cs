// The quantities a run can report, each with its unit and the scenario it belongs to. Invariant: the table
// prints measurements in this declaration order, so every table has the same layout.
namespace Operator.Benchmarks;

/// <summary>A named, unit-carrying quantity measured once per repeat.</summary>
public sealed record Measurement(string Scenario, string Name, string Unit)
{
    public static readonly Measurement ColdSeconds = new(Benchmarks.Scenario.Cold, "cold convergence (all Ready)", "s");
    public static readonly Measurement ColdWrites = new(Benchmarks.Scenario.Cold, "operator writes during convergence", "writes");
    public static readonly Measurement CeilingSeconds = new(Benchmarks.Scenario.Ceiling, "ceiling (same writes, no logic)", "s");
    public static readonly Measurement CeilingWrites = new(Benchmarks.Scenario.Ceiling, "ceiling writes", "writes");
    public static readonly Measurement CeilingEmulatorCores = new(Benchmarks.Scenario.Ceiling, "emulator CPU during ceiling", "cores");
    public static readonly Measurement ColdEmulatorCores = new(Benchmarks.Scenario.Cold, "emulator CPU during convergence", "cores");
    public static readonly Measurement ColdOperatorCores = new(Benchmarks.Scenario.Cold, "operator CPU during convergence", "cores");
    public static readonly Measurement ColdOverCeiling = new(Benchmarks.Scenario.Ceiling, "operator / ceiling", "x");
    public static readonly Measurement SteadyWrites = new(Benchmarks.Scenario.Steady, "writes at steady state (resync 1m)", "writes");
    public static readonly Measurement UpdateP50 = new(Benchmarks.Scenario.Update, "update latency p50", "ms");
    public static readonly Measurement UpdateP99 = new(Benchmarks.Scenario.Update, "update latency p99", "ms");
    public static readonly Measurement UpdateMissed = new(Benchmarks.Scenario.Update, "updates not observed", "count");
    public static readonly Measurement StartupSeconds = new(Benchmarks.Scenario.Startup, "start-up to /readyz (children present)", "s");
    public static readonly Measurement StartupOperatorCpu = new(Benchmarks.Scenario.Startup, "operator CPU until /readyz", "s");
    public static readonly Measurement StartupEmulatorCpu = new(Benchmarks.Scenario.Startup, "emulator CPU until /readyz", "s");
    public static readonly Measurement PeakRss = new(Benchmarks.Scenario.Memory, "peak RSS (VmHWM, convergence)", "MB");
    public static readonly Measurement SteadyRss = new(Benchmarks.Scenario.Memory, "steady RSS (VmRSS, converged)", "MB");
    public static readonly Measurement RestartRss = new(Benchmarks.Scenario.Memory, "RSS after restart at /readyz", "MB");
    public static readonly Measurement ManagedHeap = new(Benchmarks.Scenario.Memory, "managed heap after GC (converged)", "MB");
    public static readonly Measurement CachedObjects = new(Benchmarks.Scenario.Memory, "cached objects", "objects");
    public static readonly Measurement RssPerObject = new(Benchmarks.Scenario.Memory, "RSS growth per cached object", "bytes");
    public static readonly Measurement HeapPerObject = new(Benchmarks.Scenario.Memory, "heap growth per cached object", "bytes");
    public static readonly Measurement EmulatorRss = new(Benchmarks.Scenario.Memory, "emulator RSS (converged)", "MB");
    public static readonly Measurement NoiseRssBefore = new(Benchmarks.Scenario.SecretNoise, "RSS before unrelated Secrets", "MB");
    public static readonly Measurement NoiseRssAfter = new(Benchmarks.Scenario.SecretNoise, "RSS with unrelated Secrets (settled)", "MB");
    public static readonly Measurement NoiseRssGrowth = new(Benchmarks.Scenario.SecretNoise, "RSS growth from unrelated Secrets", "MB");
    public static readonly Measurement NoiseSecretReads = new(Benchmarks.Scenario.SecretNoise, "unrelated Secrets read by the operator", "count");

    public static IReadOnlyList<Measurement> All { get; } =
    [
        ColdSeconds, ColdWrites, ColdOperatorCores, ColdEmulatorCores, CeilingSeconds, CeilingWrites, CeilingEmulatorCores, ColdOverCeiling, SteadyWrites, UpdateP50, UpdateP99, UpdateMissed,
        StartupSeconds, StartupOperatorCpu, StartupEmulatorCpu, PeakRss, SteadyRss, RestartRss, ManagedHeap, CachedObjects, RssPerObject, HeapPerObject, EmulatorRss,
        NoiseRssBefore, NoiseRssAfter, NoiseRssGrowth, NoiseSecretReads,
    ];
}
