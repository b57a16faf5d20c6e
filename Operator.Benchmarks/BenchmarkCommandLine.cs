// The benchmark's command line, declared with System.CommandLine: every option with its name, example values (its
// help name), default and parser in one place, and Read turning a parse result into BenchmarkOptions. Invariants:
// a value that parses is valid (sizes, repeats, counts and rates positive, durations and byte sizes more than zero,
// scenarios known), so Read never throws on a result without errors; an error names the option and the value.
// Adding an option: declare it here, add it to the command in Create, read it in Read.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Operator.Primitives;

namespace Operator.Benchmarks;

/// <summary>The benchmark's options as System.CommandLine symbols.</summary>
public sealed class BenchmarkCommandLine
{
    private static readonly BenchmarkOptions Defaults = new();

    private readonly Option<IReadOnlySet<string>> scenarios = new("--scenario")
    {
        HelpName = "all|" + string.Join(',', BenchmarkOptions.KnownScenarios.Order(StringComparer.Ordinal)),
        Description = "Scenarios to run, comma-separated; all: every scenario but backlog, secret-noise and informer-peer.",
        DefaultValueFactory = _ => Defaults.Scenarios,
        CustomParser = ParseScenarios,
    };

    private readonly Option<IReadOnlyList<int>> sizes = new("--sizes")
    {
        HelpName = "100,1000",
        Description = "Numbers of Celery resources, comma-separated; each size runs --repeat times.",
        DefaultValueFactory = _ => Defaults.Sizes,
        CustomParser = ParseSizes,
    };

    private readonly Option<int> repeat = PositiveInt("--repeat", "3", Defaults.Repeat, "Repeats per size, each on fresh processes.");

    private readonly Option<int> concurrency = PositiveInt("--concurrency", "4", Defaults.Concurrency,
        "Writes in flight for the load and the ceiling, and the operator's MaxConcurrentReconciles.");

    private readonly Option<TimeSpan> steadyWindow = PositiveDuration("--steady-window", "5m|65s", Defaults.SteadyWindow,
        "How long the steady-state scenario counts the operator's writes; keep it above the 1-minute resync.");

    private readonly Option<double> updateRate = new("--update-rate")
    {
        HelpName = "50",
        Description = "Patches per second of the update-latency scenario.",
        DefaultValueFactory = _ => Defaults.UpdateRate,
        CustomParser = result => Positive(result, double.TryParse(Single(result), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) ? rate : double.NaN, "a number"),
    };

    private readonly Option<TimeSpan> deploymentDelay = PositiveDuration("--deployment-delay", "1s", Defaults.DeploymentDelay,
        "The emulator's simulated Deployment controller delay.");

    private readonly Option<TimeSpan> timeout = PositiveDuration("--timeout", "15m", Defaults.Timeout, "The longest any one phase may take.");

    private readonly Option<bool> serverGc = new("--server-gc")
    {
        Description = "Run the operator with DOTNET_gcServer=1 instead of the workstation GC its runtimeconfig sets.",
    };

    private readonly Option<long?> memoryLimit = new("--memory-limit")
    {
        HelpName = "512Mi",
        Description = "Run the operator as under a container memory limit (GC heap hard limit 75% of it); default unconstrained.",
        CustomParser = result => Bytes(result),
    };

    private readonly Option<string?> logDirectory = new("--log-dir")
    {
        HelpName = "DIR",
        Description = "Keep the emulator's, operator's and Redis servers' output there, one file per process.",
        CustomParser = result => Path.GetFullPath(Single(result)),
    };

    private readonly Option<TimeSpan?> hold = new("--hold")
    {
        HelpName = "10m",
        Description = "After the last scenario keep the emulator and operator running this long (for profiling).",
        CustomParser = result => PositiveDurationValue(result),
    };

    private readonly Option<string?> operatorAssembly = new("--operator")
    {
        HelpName = "PATH/celery-operator.dll",
        Description = "The operator assembly to run; default the solution's Release build output.",
        CustomParser = result => Single(result),
    };

    private readonly Option<bool> noise = new("--noise")
    {
        Description = "Before the operator starts, create unrelated Deployments, Services, ConfigMaps and Secrets spread over the workload's namespaces.",
    };

    private readonly Option<int> noiseDeployments = PositiveInt("--noise-deployments", "10000", Defaults.Noise.Deployments, "Unrelated Deployments --noise creates (cluster-wide).");

    private readonly Option<int> noiseServices = PositiveInt("--noise-services", "10000", Defaults.Noise.Services, "Unrelated Services --noise creates (cluster-wide).");

    private readonly Option<int> noiseConfigMaps = PositiveInt("--noise-configmaps", "50000", Defaults.Noise.ConfigMaps, "Unrelated ConfigMaps --noise creates (cluster-wide).");

    private readonly Option<int> noiseSecrets = PositiveInt("--noise-secrets", "10000", Defaults.Noise.Secrets,
        "Unrelated Secrets --noise and the secret-noise scenario create (cluster-wide).");

    private readonly Option<long> noiseSecretSize = new("--noise-secret-size")
    {
        HelpName = "100Ki",
        Description = "The data size of each unrelated Secret.",
        DefaultValueFactory = _ => Defaults.Noise.SecretBytes,
        CustomParser = result => Bytes(result) ?? 0,
    };

    private readonly Option<int> redisEndpoints = PositiveInt("--redis-endpoints", "10", Defaults.RedisEndpoints,
        "redis-server processes the backlog scenario starts; the workload's namespaces are spread over them.");

    private readonly Option<TimeSpan> backlogInterval = PositiveDuration("--backlog-interval", "15s", Defaults.BacklogInterval,
        "The operator's backlog reading interval (Operator:Backlog:Interval); the backlog scenario measures over three of them.");

    private readonly Option<int> peerObjects = PositiveInt("--peer-objects", "20000", Defaults.PeerObjects,
        "ConfigMaps the informer-peer scenario creates and every prober lists.");

    private readonly Option<IReadOnlyList<string>> informerProbes = new("--informer-probe")
    {
        HelpName = "artifacts/informer-probe/informer-probe.dll[,PATH...]",
        Description = "The published informer probes informer-peer runs, comma-separated, each named in the table by its directory.",
        DefaultValueFactory = _ => Defaults.InformerProbes,
        CustomParser = result => Single(result).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    };

    /// <summary>The root command: every option, and System.CommandLine's --help and --version.</summary>
    public RootCommand Create() => new("Measures the operator against the Kubernetes API emulator, both run as separate processes, and prints a results table (docs/benchmarks.md).")
    {
        scenarios, sizes, repeat, concurrency, steadyWindow, updateRate, deploymentDelay, timeout, serverGc, memoryLimit, logDirectory, hold, operatorAssembly,
        noise, noiseDeployments, noiseServices, noiseConfigMaps, noiseSecrets, noiseSecretSize, redisEndpoints, backlogInterval,
        peerObjects, informerProbes,
    };

    /// <summary>The options a parse result without errors holds.</summary>
    public BenchmarkOptions Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        }

        return new BenchmarkOptions
        {
            Scenarios = result.GetRequiredValue(scenarios),
            Sizes = result.GetRequiredValue(sizes),
            Repeat = result.GetValue(repeat),
            Concurrency = result.GetValue(concurrency),
            SteadyWindow = result.GetValue(steadyWindow),
            UpdateRate = result.GetValue(updateRate),
            DeploymentDelay = result.GetValue(deploymentDelay),
            Timeout = result.GetValue(timeout),
            ServerGc = result.GetValue(serverGc),
            MemoryLimit = result.GetValue(memoryLimit),
            LogDirectory = result.GetValue(logDirectory),
            Hold = result.GetValue(hold),
            OperatorAssembly = result.GetValue(operatorAssembly),
            NoiseBeforeRun = result.GetValue(noise),
            Noise = new NoiseCounts(result.GetValue(noiseDeployments), result.GetValue(noiseServices), result.GetValue(noiseConfigMaps), result.GetValue(noiseSecrets), result.GetValue(noiseSecretSize)),
            RedisEndpoints = result.GetValue(redisEndpoints),
            BacklogInterval = result.GetValue(backlogInterval),
            PeerObjects = result.GetValue(peerObjects),
            InformerProbes = result.GetRequiredValue(informerProbes),
        };
    }

    private static Option<int> PositiveInt(string name, string example, int defaultValue, string description) => new(name)
    {
        HelpName = example,
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Positive(result, int.TryParse(Single(result), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0, "a whole number"),
    };

    private static Option<TimeSpan> PositiveDuration(string name, string examples, TimeSpan defaultValue, string description) => new(name)
    {
        HelpName = examples,
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => PositiveDurationValue(result) ?? TimeSpan.Zero,
    };

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;

    // A number that must be more than zero; NaN or zero from a failed parse reports the value as not a number.
    private static T Positive<T>(ArgumentResult result, T value, string what) where T : System.Numerics.INumber<T>
    {
        if (value > T.Zero)
        {
            return value;
        }

        result.AddError(T.IsNaN(value) || (T.IsZero(value) && !IsZeroText(Single(result)))
            ? $"{OptionName(result)}: '{Single(result)}' is not {what}"
            : $"{OptionName(result)} must be positive (got '{Single(result)}')");
        return T.Zero;
    }

    private static bool IsZeroText(string text) => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value <= 0;

    // Every duration option is a wait or a window, so zero is refused with the option's name.
    private static TimeSpan? PositiveDurationValue(ArgumentResult result)
    {
        var name = OptionName(result);
        try
        {
            var duration = Duration.Parse(Single(result), name);
            if (duration > TimeSpan.Zero)
            {
                return duration;
            }

            result.AddError($"{name} must be positive");
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
        }

        return null;
    }

    // Quantities, as the manifests write a memory limit ("512Mi"); more than zero bytes.
    private static long? Bytes(ArgumentResult result)
    {
        var name = OptionName(result);
        try
        {
            var bytes = Quantity.ParseByteCount(Single(result), name);
            if (bytes > 0)
            {
                return bytes;
            }

            result.AddError($"{name} must be positive");
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
        }

        return null;
    }

    private static IReadOnlyList<int> ParseSizes(ArgumentResult result)
    {
        var text = Single(result);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new List<int>(parts.Length);
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size <= 0)
            {
                result.AddError($"--sizes: '{part}' in '{text}' is not a positive whole number");
                return [];
            }

            parsed.Add(size);
        }

        return parsed;
    }

    private static HashSet<string> ParseScenarios(ArgumentResult result)
    {
        var value = Single(result);
        if (value == "all")
        {
            return [.. BenchmarkOptions.AllScenarios];
        }

        var chosen = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = chosen.Where(s => !BenchmarkOptions.KnownScenarios.Contains(s)).ToList();
        if (chosen.Count == 0 || unknown.Count > 0)
        {
            result.AddError($"--scenario: unknown scenario {(unknown.Count > 0 ? string.Join(", ", unknown.Select(u => $"'{u}'")) : $"list '{value}'")}; known: all, {string.Join(", ", BenchmarkOptions.KnownScenarios.Order(StringComparer.Ordinal))}");
        }

        return chosen;
    }
}
