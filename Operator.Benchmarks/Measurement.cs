// The quantities a run can report, each with its unit and the scenario it belongs to. Invariant: the table
// prints measurements in this declaration order, so every table has the same layout.
namespace Operator.Benchmarks;

/// <summary>A named, unit-carrying quantity measured once per repeat.</summary>
public sealed record Measurement(string Scenario, string Name, string Unit)
{
    private const string NoiseOption = "noise";

    public static readonly Measurement ColdSeconds = new(Benchmarks.Scenario.Cold, "cold convergence (all Ready)", "s");
    public static readonly Measurement ColdWrites = new(Benchmarks.Scenario.Cold, "operator writes during convergence", "writes");
    public static readonly Measurement CeilingSeconds = new(Benchmarks.Scenario.Ceiling, "ceiling (same writes, no logic)", "s");
    public static readonly Measurement CeilingWrites = new(Benchmarks.Scenario.Ceiling, "ceiling writes", "writes");
    public static readonly Measurement CeilingEmulatorCores = new(Benchmarks.Scenario.Ceiling, "emulator CPU during ceiling", "cores");
    public static readonly Measurement ColdEmulatorCores = new(Benchmarks.Scenario.Cold, "emulator CPU during convergence", "cores");
    public static readonly Measurement ColdOperatorCores = new(Benchmarks.Scenario.Cold, "operator CPU during convergence", "cores");
    public static readonly Measurement ColdOverCeiling = new(Benchmarks.Scenario.Ceiling, "operator / ceiling", "x");
    public static readonly Measurement SteadyWrites = new(Benchmarks.Scenario.Steady, "writes at steady state (resync 1m)", "writes");
    public static readonly Measurement SteadyOperatorCpu = new(Benchmarks.Scenario.Steady, "operator CPU at steady state", "s/min");
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
    public static readonly Measurement LiveHeap = new(Benchmarks.Scenario.Memory, "live heap (after a full GC, converged)", "MB");
    public static readonly Measurement LiveHeapPerObject = new(Benchmarks.Scenario.Memory, "live heap growth per cached object", "bytes");
    public static readonly Measurement RssAfterFullGc = new(Benchmarks.Scenario.Memory, "RSS after that full GC", "MB");
    public static readonly Measurement EmulatorRss = new(Benchmarks.Scenario.Memory, "emulator RSS (converged)", "MB");
    public static readonly Measurement NoiseRssBefore = new(Benchmarks.Scenario.SecretNoise, "RSS before unrelated Secrets", "MB");
    public static readonly Measurement NoiseRssAfter = new(Benchmarks.Scenario.SecretNoise, "RSS with unrelated Secrets (settled)", "MB");
    public static readonly Measurement NoiseRssGrowth = new(Benchmarks.Scenario.SecretNoise, "RSS growth from unrelated Secrets", "MB");
    public static readonly Measurement NoiseSecretReads = new(Benchmarks.Scenario.SecretNoise, "unrelated Secrets read by the operator", "count");
    public static readonly Measurement NoiseObjects = new(NoiseOption, "unrelated objects created before the run (--noise)", "objects");
    public static readonly Measurement NoiseCreateSeconds = new(NoiseOption, "time to create them", "s");
    public static readonly Measurement ColdMachineLoad = new(Benchmarks.Scenario.Cold, "machine load (1-min average) after convergence", "load");
    public static readonly Measurement BacklogConnectionsMin = new(Benchmarks.Scenario.Backlog, "backlog reader connections per Redis server in use (min)", "connections");
    public static readonly Measurement BacklogConnectionsMax = new(Benchmarks.Scenario.Backlog, "backlog reader connections per Redis server in use (max)", "connections");
    public static readonly Measurement BacklogOperatorCpu = new(Benchmarks.Scenario.Backlog, "operator CPU, backlogs unchanged", "s/min");
    public static readonly Measurement BacklogRedisCommands = new(Benchmarks.Scenario.Backlog, "Redis commands, summed over the servers", "1/s");
    public static readonly Measurement BacklogStatusWrites = new(Benchmarks.Scenario.Backlog, "status writes, backlogs unchanged (3 intervals)", "writes");
    public static readonly Measurement BacklogOperatorWrites = new(Benchmarks.Scenario.Backlog, "all operator writes, backlogs unchanged (3 intervals)", "writes");
    public static readonly Measurement BacklogMachineLoad = new(Benchmarks.Scenario.Backlog, "machine load (1-min average) at the window's end", "load");
    public static readonly Measurement BacklogChangedQueues = new(Benchmarks.Scenario.Backlog, "queues changed (one per server)", "queues");
    public static readonly Measurement BacklogChangeWrites = new(Benchmarks.Scenario.Backlog, "status writes after the change (one interval more)", "writes");
    public static readonly Measurement BacklogChangeOtherWrites = new(Benchmarks.Scenario.Backlog, "of which for unchanged resources", "writes");
    public static readonly Measurement BacklogChangeSeconds = new(Benchmarks.Scenario.Backlog, "change seen in status.backlog after", "s");

    public static IReadOnlyList<Measurement> All { get; } =
    [
        ColdSeconds, ColdWrites, ColdOperatorCores, ColdEmulatorCores, CeilingSeconds, CeilingWrites, CeilingEmulatorCores, ColdOverCeiling, SteadyWrites, SteadyOperatorCpu, UpdateP50, UpdateP99, UpdateMissed,
        StartupSeconds, StartupOperatorCpu, StartupEmulatorCpu, PeakRss, SteadyRss, RestartRss, ManagedHeap, CachedObjects, RssPerObject, HeapPerObject, LiveHeap, LiveHeapPerObject, RssAfterFullGc, EmulatorRss,
        NoiseRssBefore, NoiseRssAfter, NoiseRssGrowth, NoiseSecretReads, NoiseObjects, NoiseCreateSeconds, ColdMachineLoad,
        BacklogConnectionsMin, BacklogConnectionsMax, BacklogOperatorCpu, BacklogRedisCommands, BacklogStatusWrites, BacklogOperatorWrites, BacklogMachineLoad,
        BacklogChangedQueues, BacklogChangeWrites, BacklogChangeOtherWrites, BacklogChangeSeconds,
    ];
}
