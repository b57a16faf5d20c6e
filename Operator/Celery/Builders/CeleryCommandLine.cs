// Command lines of the Celery containers, in exec form: `celery` is PID 1, so SIGTERM from the kubelet
// reaches it directly and starts a warm shutdown (running tasks finish within the grace period).
// Every flag used here exists in Celery 5.2+ and Flower 2.0+ (checked by the conformance suite).
using System.Globalization;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>Builds the executable and arguments of worker, beat and Flower containers.</summary>
public static class CeleryCommandLine
{
    public const string Executable = "celery";

    /// <summary>Where beat keeps its schedule: an emptyDir, since the image's working directory may be read-only.</summary>
    public const string BeatScheduleDirectory = "/var/lib/celery/beat";

    public const string BeatScheduleFile = BeatScheduleDirectory + "/celerybeat-schedule";

    /// <summary>Where Flower keeps its database when flower.persistence is set: the claim's mount.</summary>
    public const string FlowerStateDirectory = "/var/lib/flower";

    public const string FlowerDatabaseFile = FlowerStateDirectory + "/flower.db";

    public static IList<string> Command => [Executable];

    public static List<string> Worker(CelerySpec spec, WorkerGroupSpec group)
    {
        var args = new List<string>
        {
            $"--app={spec.App}",
            "worker",
            $"--queues={string.Join(',', group.EffectiveQueues)}",
            $"--loglevel={group.LogLevel ?? "INFO"}",
            $"--pool={group.Pool ?? "prefork"}",
        };
        AddNumber(args, "--concurrency", group.EffectiveConcurrency);
        if (group.Autoscale is { } autoscale)
        {
            args.Add($"--autoscale={Number(autoscale.Max)},{Number(autoscale.Min)}");
        }

        AddNumber(args, "--prefetch-multiplier", group.EffectivePrefetchMultiplier);
        AddNumber(args, "--max-tasks-per-child", group.MaxTasksPerChild);
        AddNumber(args, "--max-memory-per-child", group.MaxMemoryPerChild);
        AddNumber(args, "--time-limit", group.TimeLimit);
        AddNumber(args, "--soft-time-limit", group.SoftTimeLimit);
        if (group.Optimization is { Length: > 0 } optimization)
        {
            // -O has no long form in Celery 5.x; click takes the value attached to the short option.
            args.Add("-O" + optimization);
        }

        AddSwitch(args, "--without-gossip", group.WithoutGossip);
        AddSwitch(args, "--without-mingle", group.WithoutMingle);
        AddSwitch(args, "--without-heartbeat", group.WithoutHeartbeat);
        if (group.Hostname is { Length: > 0 } hostname)
        {
            args.Add($"--hostname={hostname}");
        }

        // Flower shows tasks only from workers that send task events.
        AddSwitch(args, "--task-events", group.Events ?? spec.Flower?.Enabled ?? true);

        args.AddRange(group.Args ?? []);
        return args;
    }

    public static List<string> Beat(CelerySpec spec, BeatSpec beat)
    {
        var args = new List<string>
        {
            $"--app={spec.App}",
            "beat",
            $"--loglevel={beat.LogLevel ?? "INFO"}",
        };
        if (beat.Scheduler is { Length: > 0 } scheduler)
        {
            args.Add($"--scheduler={scheduler}");
        }

        // A database-backed scheduler keeps no file; a claim asked for is still used, by whatever scheduler reads --schedule.
        if (beat.Scheduler is not { Length: > 0 } || beat.Persistence is not null)
        {
            args.Add($"--schedule={BeatScheduleFile}");
        }

        args.AddRange(beat.Args ?? []);
        return args;
    }

    public static List<string> Flower(CelerySpec spec, FlowerSpec flower)
    {
        var args = new List<string>
        {
            $"--app={spec.App}",
            "flower",
            $"--port={flower.Port.ToString(CultureInfo.InvariantCulture)}",
        };
        if (flower.UrlPrefix is { Length: > 0 } prefix)
        {
            args.Add($"--url_prefix={prefix}");
        }

        if (flower.Persistence is not null)
        {
            // Tornado parses a bool option from its value, so the flag is written --persistent=True.
            args.Add("--persistent=True");
            args.Add($"--db={FlowerDatabaseFile}");
        }

        args.AddRange(flower.Args ?? []);
        return args;
    }

    /// <summary>Flower's health endpoint, under the URL prefix when one is set.</summary>
    public static string FlowerHealthPath(FlowerSpec flower) => FlowerPath(flower, "/healthcheck");

    /// <summary>Flower's Prometheus endpoint, under the URL prefix when one is set.</summary>
    public static string FlowerMetricsPath(FlowerSpec flower) => FlowerPath(flower, "/metrics");

    private static string FlowerPath(FlowerSpec flower, string endpoint) =>
        flower.UrlPrefix is { Length: > 0 } prefix ? $"/{prefix}{endpoint}" : endpoint;

    private static void AddNumber(List<string> args, string flag, int? value)
    {
        if (value is { } number)
        {
            args.Add($"{flag}={Number(number)}");
        }
    }

    private static void AddSwitch(List<string> args, string flag, bool? value)
    {
        if (value == true)
        {
            args.Add(flag);
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
