// The benchmark's command line. Invariants (checked by Parse): at least one known scenario, sizes and repeats
// positive, concurrency positive, the steady-state window and update rate positive.
using System.Globalization;
using Operator.Primitives;

namespace Operator.Benchmarks;

/// <summary>What to run, at which sizes, how often.</summary>
public sealed record BenchmarkOptions
{
    public const string Usage =
        "usage: Operator.Benchmarks [--scenario all|cold,ceiling,steady,update,startup,memory,secret-noise] [--sizes 100,1000] " +
        "[--repeat 3] [--concurrency 4] [--steady-window 5m|90s] [--update-rate 50] [--deployment-delay 1s] [--timeout 15m] [--server-gc] [--memory-limit 512Mi] [--log-dir DIR] [--hold 10m] [--operator PATH/celery-operator.dll] " +
        "[--noise-secrets 10000] [--noise-secret-size 100Ki] [--peer-objects 20000] [--informer-probe artifacts/informer-probe/informer-probe.dll[,PATH...]]   (all: every scenario but secret-noise and informer-peer)";

    /// <summary>What "all" runs: every scenario but <see cref="Scenario.SecretNoise"/>, which adds gigabytes to the emulator.</summary>
    public static readonly IReadOnlySet<string> AllScenarios = new HashSet<string>(StringComparer.Ordinal)
    {
        Scenario.Cold, Scenario.Ceiling, Scenario.Steady, Scenario.Update, Scenario.Startup, Scenario.Memory,
    };

    public static readonly IReadOnlySet<string> KnownScenarios = new HashSet<string>(AllScenarios.Append(Scenario.SecretNoise).Append(Scenario.InformerPeer), StringComparer.Ordinal);

    public IReadOnlySet<string> Scenarios { get; init; } = AllScenarios;

    /// <summary>How many unrelated Secrets the secret-noise scenario creates (spread over the workload's namespaces).</summary>
    public int NoiseSecrets { get; init; } = 10_000;

    /// <summary>The size of each unrelated Secret's data.</summary>
    public long NoiseSecretBytes { get; init; } = 100 * 1024;

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

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--server-gc")
            {
                options = options with { ServerGc = true };
                continue;
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            options = args[i] switch
            {
                "--scenario" => options with { Scenarios = ParseScenarios(value) },
                "--sizes" => options with { Sizes = [.. value.Split(',').Select(s => Positive(int.Parse(s, CultureInfo.InvariantCulture), "--sizes"))] },
                "--repeat" => options with { Repeat = Positive(int.Parse(value, CultureInfo.InvariantCulture), "--repeat") },
                "--concurrency" => options with { Concurrency = Positive(int.Parse(value, CultureInfo.InvariantCulture), "--concurrency") },
                "--steady-window" => options with { SteadyWindow = PositiveDuration(value, "--steady-window") },
                "--update-rate" => options with { UpdateRate = Positive(double.Parse(value, CultureInfo.InvariantCulture), "--update-rate") },
                "--deployment-delay" => options with { DeploymentDelay = PositiveDuration(value, "--deployment-delay") },
                "--timeout" => options with { Timeout = PositiveDuration(value, "--timeout") },
                "--hold" => options with { Hold = PositiveDuration(value, "--hold") },
                "--memory-limit" => options with { MemoryLimit = Bytes(value, "--memory-limit") },
                "--noise-secrets" => options with { NoiseSecrets = Positive(int.Parse(value, CultureInfo.InvariantCulture), "--noise-secrets") },
                "--noise-secret-size" => options with { NoiseSecretBytes = Bytes(value, "--noise-secret-size") },
                "--peer-objects" => options with { PeerObjects = Positive(int.Parse(value, CultureInfo.InvariantCulture), "--peer-objects") },
                "--informer-probe" => options with { InformerProbes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--operator" => options with { OperatorAssembly = value },
                "--log-dir" => options with { LogDirectory = Directory.CreateDirectory(value).FullName },
                _ => throw new ArgumentException($"unknown option {args[i]}. {Usage}"),
            };
            i++;
        }

        return options;
    }

    // Quantities, as the manifests write a memory limit ("512Mi"); more than zero bytes.
    private static long Bytes(string value, string option) => Positive(Quantity.ParseByteCount(value, option), option);

    private static HashSet<string> ParseScenarios(string value)
    {
        if (value == "all")
        {
            return [.. AllScenarios];
        }

        var chosen = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (chosen.Count == 0 || chosen.FirstOrDefault(s => !KnownScenarios.Contains(s)) is { } unknown && unknown is not null)
        {
            throw new ArgumentException($"unknown scenario list '{value}'. {Usage}");
        }

        return chosen;
    }

    // Every duration option is a wait or a window, so zero is refused with the option's name.
    private static TimeSpan PositiveDuration(string value, string option) =>
        Duration.Parse(value, option) is var duration && duration > TimeSpan.Zero ? duration : throw new ArgumentException($"{option} must be positive");

    private static T Positive<T>(T value, string option) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{option} must be positive");
}
