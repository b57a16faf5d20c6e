// The worker options that have a typed field, with the command-line forms Celery accepts for each. A group's
// args may not repeat one of them (Celery would take whichever comes last, silently overriding the field):
// the CRD enforces it with ArgsRule at admission, and CeleryValidator checks the same table for resources the
// API server did not check. The two are kept equal by a test that evaluates both on every entry.
namespace Operator.Celery.Model;

/// <summary>One typed worker option: its field, whether a group sets it, and the arguments that would repeat it.</summary>
public sealed record WorkerOptionFlag(string Field, Func<WorkerGroupSpec, bool> IsSet, IReadOnlyList<string> Prefixes);

/// <summary>The typed worker options and the CEL rule that keeps args from repeating them.</summary>
public static class WorkerOptionFlags
{
    /// <summary>
    /// Queues, pool and log level are always on the command line (pool and logLevel have schema defaults);
    /// the others only when their field is set.
    /// </summary>
    public static IReadOnlyList<WorkerOptionFlag> All { get; } =
    [
        new("queues", _ => true, ["--queues", "-Q"]),
        new("pool", _ => true, ["--pool", "-P"]),
        new("logLevel", _ => true, ["--loglevel", "-l"]),
        new("concurrency", g => g.Concurrency is not null, ["--concurrency", "-c"]),
        new("autoscale", g => g.Autoscale is not null, ["--autoscale"]),
        new("prefetchMultiplier", g => g.PrefetchMultiplier is not null, ["--prefetch-multiplier"]),
        new("maxTasksPerChild", g => g.MaxTasksPerChild is not null, ["--max-tasks-per-child"]),
        new("maxMemoryPerChild", g => g.MaxMemoryPerChild is not null, ["--max-memory-per-child"]),
        new("timeLimit", g => g.TimeLimit is not null, ["--time-limit"]),
        new("softTimeLimit", g => g.SoftTimeLimit is not null, ["--soft-time-limit"]),
        new("optimization", g => g.Optimization is not null, ["-O"]),
        new("withoutGossip", g => g.WithoutGossip is not null, ["--without-gossip"]),
        new("withoutMingle", g => g.WithoutMingle is not null, ["--without-mingle"]),
        new("withoutHeartbeat", g => g.WithoutHeartbeat is not null, ["--without-heartbeat"]),
        new("hostname", g => g.Hostname is not null, ["--hostname", "-n"]),
        new("events", g => g.Events is not null, ["--task-events", "--events", "-E"]),
    ];

    public const string ArgsRuleMessage = "args may not repeat an option that has a field (queues, pool, logLevel, and any of concurrency, autoscale, prefetchMultiplier, maxTasksPerChild, maxMemoryPerChild, timeLimit, softTimeLimit, optimization, withoutGossip, withoutMingle, withoutHeartbeat, hostname, events that is set): set it in one place";

    public const string ArgsRule =
        "!has(self.args) || !self.args.exists(a, " +
        "a.startsWith('--queues') || a.startsWith('-Q') || a.startsWith('--pool') || a.startsWith('-P') || a.startsWith('--loglevel') || a.startsWith('-l')" +
        " || (has(self.concurrency) && (a.startsWith('--concurrency') || a.startsWith('-c')))" +
        " || (has(self.autoscale) && a.startsWith('--autoscale'))" +
        " || (has(self.prefetchMultiplier) && a.startsWith('--prefetch-multiplier'))" +
        " || (has(self.maxTasksPerChild) && a.startsWith('--max-tasks-per-child'))" +
        " || (has(self.maxMemoryPerChild) && a.startsWith('--max-memory-per-child'))" +
        " || (has(self.timeLimit) && a.startsWith('--time-limit'))" +
        " || (has(self.softTimeLimit) && a.startsWith('--soft-time-limit'))" +
        " || (has(self.optimization) && a.startsWith('-O'))" +
        " || (has(self.withoutGossip) && a.startsWith('--without-gossip'))" +
        " || (has(self.withoutMingle) && a.startsWith('--without-mingle'))" +
        " || (has(self.withoutHeartbeat) && a.startsWith('--without-heartbeat'))" +
        " || (has(self.hostname) && (a.startsWith('--hostname') || a.startsWith('-n')))" +
        " || (has(self.events) && (a.startsWith('--task-events') || a.startsWith('--events') || a.startsWith('-E'))))";

    /// <summary>The typed options <paramref name="group"/> sets that its args repeat, with the repeating argument.</summary>
    public static IEnumerable<(WorkerOptionFlag Option, string Argument)> Repeated(WorkerGroupSpec group)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (var argument in group.Args ?? [])
        {
            if (argument is null)
            {
                continue;
            }

            foreach (var option in All)
            {
                if (option.IsSet(group) && option.Prefixes.Any(p => argument.StartsWith(p, StringComparison.Ordinal)))
                {
                    yield return (option, argument);
                }
            }
        }
    }
}
