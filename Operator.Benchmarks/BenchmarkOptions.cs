// What a benchmark run does, as read from its command line (BenchmarkCommandLine declares and checks the options).
// Invariants (checked by the command line): at least one known scenario, sizes, repeats, counts and rates
// positive, durations and byte sizes more than zero.
using System.Globalization;

namespace Operator.Benchmarks;

/// <summary>What to run, at which sizes, how often.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>
    /// What "all" runs: every scenario but <see cref="Scenario.SecretNoise"/>, which adds gigabytes to the emulator,
    /// <see cref="Scenario.Backlog"/>, which points the workload at Redis servers it starts, and
    /// <see cref="Scenario.InformerPeer"/>, which measures an informer alone.
    /// </summary>
    public static readonly IReadOnlySet<string> AllScenarios = new HashSet<string>(StringComparer.Ordinal)
    {
        Scenario.Cold, Scenario.Ceiling, Scenario.Steady, Scenario.Update, Scenario.Startup, Scenario.Memory,
    };

    public static readonly IReadOnlySet<string> KnownScenarios = new HashSet<string>(AllScenarios.Append(Scenario.SecretNoise).Append(Scenario.Backlog).Append(Scenario.InformerPeer), StringComparer.Ordinal);

    public IReadOnlySet<string> Scenarios { get; init; } = AllScenarios;

    /// <summary>True: the unrelated objects of <see cref="Noise"/> are created before the operator starts (--noise).</summary>
    public bool NoiseBeforeRun { get; init; }

    /// <summary>
    /// The unrelated objects --noise creates, spread over the workload's namespaces; the secret-noise scenario uses
    /// its Secret count and size.
    /// </summary>
    public NoiseCounts Noise { get; init; } = NoiseCounts.Default;

    /// <summary>How many redis-server processes the backlog scenario starts.</summary>
    public int RedisEndpoints { get; init; } = 10;

    /// <summary>The operator's backlog reading interval (Operator:Backlog:Interval).</summary>
    public TimeSpan BacklogInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How many ConfigMaps the informer-peer scenario creates and every prober lists.</summary>
    public int PeerObjects { get; init; } = 20_000;

    /// <summary>
    /// The operator's informer probes the informer-peer scenario runs (Operator.InformerProbe assemblies, each published
    /// ReadyToRun into its own directory, which names it in the table); relative paths are from the repository root.
    /// </summary>
    public IReadOnlyList<string> InformerProbes { get; init; } = [Path.Combine("artifacts", "informer-probe", "informer-probe.dll")];

    public IReadOnlyList<int> Sizes { get; init; } = [100, 1000];

    public int Repeat { get; init; } = 3;

    /// <summary>Writes in flight for the load and the ceiling, and the operator's MaxConcurrentReconciles.</summary>
    public int Concurrency { get; init; } = 4;

    public TimeSpan SteadyWindow { get; init; } = TimeSpan.FromMinutes(5);

    public double UpdateRate { get; init; } = 50;

    public TimeSpan DeploymentDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for any one phase (convergence, start-up) before the run is reported as failed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Runs the operator with the server GC (DOTNET_gcServer=1) instead of the workstation GC its runtimeconfig sets.</summary>
    public bool ServerGc { get; init; }

    /// <summary>
    /// The container memory limit to run the operator under, in bytes; null runs it unconstrained. In a container the
    /// runtime reads the cgroup limit, takes 75% of it as the GC heap's hard limit and measures memory load against
    /// it; the benchmark sets the same two values through DOTNET_GCHeapHardLimit and DOTNET_GCTotalPhysicalMemory.
    /// </summary>
    public long? MemoryLimit { get; init; }

    /// <summary>The environment the operator runs with: the GC settings these options choose.</summary>
    public IReadOnlyDictionary<string, string> OperatorEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ServerGc)
        {
            environment["DOTNET_gcServer"] = "1";
        }

        if (MemoryLimit is { } limit)
        {
            environment["DOTNET_GCHeapHardLimit"] = (limit * 3 / 4).ToString("X", CultureInfo.InvariantCulture);
            environment["DOTNET_GCTotalPhysicalMemory"] = limit.ToString("X", CultureInfo.InvariantCulture);
        }

        return environment;
    }

    /// <summary>The operator's own settings (configuration keys as command-line arguments) these options choose.</summary>
    public IReadOnlyList<string> OperatorSettings() =>
        [$"--Operator:Backlog:Interval={BacklogInterval.ToString("c", CultureInfo.InvariantCulture)}"];

    /// <summary>Where the emulator's and operator's output is written, one file per process; null keeps only the last lines in memory.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>
    /// After the last scenario of a repeat, keep the emulator and the operator running this long (for profiling
    /// or looking around with kubectl); their process ids and the kubeconfig paths are logged.
    /// </summary>
    public TimeSpan? Hold { get; init; }

    /// <summary>The operator assembly to run; the solution's Release build output when null.</summary>
    public string? OperatorAssembly { get; init; }

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    /// <summary>Reads a command line; throws <see cref="ArgumentException"/> with every error when it has any.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var commandLine = new BenchmarkCommandLine();
        return commandLine.Read(commandLine.Create().Parse(args));
    }
}
