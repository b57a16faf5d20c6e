// The backlog scenario (issue 20): the operator's backlog reader against real Redis servers the benchmark starts.
// Before the resources are created, every tenth resource's default queue gets messages (some in a priority list,
// named as kombu's Redis transport names them: QUEUE\x06\x16STEP). Once the operator has converged and every
// resource's status.backlog shows its queues' count, over three reading intervals: the operator's CPU seconds per
// minute, the command rate it costs the Redis servers (INFO stats and commandstats, the benchmark's own two
// commands per sample taken off), the status writes it makes (0 while backlogs stand still), and its connections
// per server (CLIENT LIST, by the client name its reader sets). Then one queue on each of five servers gets
// messages: the status of exactly those resources must be written, once each, within an interval.
// Invariant: everything is observed from outside the operator (the API's watch and audit log, the Redis servers'
// own counters, /proc), never from its logs or metrics.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Operator.Celery.Model;

namespace Operator.Benchmarks;

/// <summary>Measures the backlog reader of a converged operator; holds the watch on the resources' status.backlog.</summary>
public sealed class BacklogScenario : IAsyncDisposable
{
    /// <summary>The client name the operator's Redis reader gives its connections (RedisQueueDepthReader).</summary>
    public const string ReaderClientName = "celery-operator-backlog";

    private const int LoadedEvery = 10;
    private const int LoadedMessages = 5;
    private const int LoadedPriorityMessages = 3;
    private const int LoadedPriorityStep = 3;
    private const int ChangedQueues = 5;
    private const int ChangeMessages = 7;
    private const int WindowIntervals = 3;

    // kombu's Redis transport: a message of priority step S > 0 waits in the list QUEUE + "\x06\x16" + S.
    private const string KombuPrioritySeparator = "\x06\x16";

    private static readonly string CeleriesPath = $"/apis/{CeleryResource.Group}/{CeleryResource.Version}/{CeleryResource.Plural}";

    private readonly CeleryWorkload workload;
    private readonly RedisServers servers;
    private readonly BenchmarkOptions options;
    private readonly ResultTable results;
    private readonly ILogger logger;
    private readonly IReadOnlyList<int> changed;
    private readonly KeyedCondition asLoaded;
    private readonly KeyedCondition asChanged;
    private readonly WatchStream watch;

    private BacklogScenario(CeleryWorkload workload, RedisServers servers, EmulatorProcess emulator, BenchmarkOptions options, ResultTable results, ILogger logger)
    {
        this.workload = workload;
        this.servers = servers;
        this.options = options;
        this.results = results;
        this.logger = logger;
        // One unloaded resource in each of the first namespaces, so each sits on a different server.
        changed = [.. Enumerable.Range(0, Math.Min(ChangedQueues, workload.NamespaceCount)).Select(n => (n * CeleryWorkload.ResourcesPerNamespace) + 1).Where(i => i < workload.Size)];
        asLoaded = new KeyedCondition(observed => Backlog(observed) is { } backlog && CeleryWorkload.IndexOf(Name(observed)) is { } index && backlog == LoadedBacklog(index));
        asChanged = new KeyedCondition(observed => Backlog(observed) is { } backlog && CeleryWorkload.IndexOf(Name(observed)) is { } index && changed.Contains(index) && backlog == LoadedBacklog(index) + ChangeMessages);
        watch = WatchStream.Start(emulator.BaseAddress, EmulatorProcess.LoadUser, CeleriesPath, observed =>
        {
            asLoaded.Observe(observed);
            asChanged.Observe(observed);
        });
    }

    /// <summary>Puts the messages the loaded queues hold; call before the resources exist, so their first reading counts them.</summary>
    public static async Task LoadQueuesAsync(CeleryWorkload workload, RedisServers servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(servers);
        for (var index = 0; index < workload.Size; index += LoadedEvery)
        {
            var server = servers.At(workload.RedisPort(index) ?? throw new InvalidOperationException("the backlog workload needs Redis ports"));
            var queue = workload.Queue(index, CeleryWorkload.WorkerGroup);
            await server.PushAsync(queue, LoadedMessages, cancellationToken).ConfigureAwait(false);
            await server.PushAsync(queue + KombuPrioritySeparator + LoadedPriorityStep.ToString(CultureInfo.InvariantCulture), LoadedPriorityMessages, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Watches the converged operator's resources until every status.backlog shows its queues' messages.</summary>
    public static async Task<BacklogScenario> StartAsync(CeleryWorkload workload, RedisServers servers, EmulatorProcess emulator, BenchmarkOptions options, ResultTable results, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(options);
        var scenario = new BacklogScenario(workload, servers, emulator, options, results, logger);
        try
        {
            var clock = Stopwatch.StartNew();
            await scenario.asLoaded.WaitForAsync(workload.Size, options.Timeout, "backlog: every status.backlog read", cancellationToken).ConfigureAwait(false);
            logger.LogInformation("backlog N={Size}: every status.backlog as loaded {Seconds:F1}s after convergence", workload.Size, clock.Elapsed.TotalSeconds);
            return scenario;
        }
        catch
        {
            await scenario.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The window with backlogs standing still, then one changed queue per server.</summary>
    public async Task MeasureAsync(EmulatorProcess emulator, ReadyOperator operatorProcess, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        ArgumentNullException.ThrowIfNull(operatorProcess);
        var size = workload.Size;
        // Servers no namespace points at (more servers than namespaces) have no reader, rightly: not counted.
        var connections = new List<int>();
        foreach (var server in workload.Namespaces.Select((_, n) => servers.At(workload.RedisPort(n * CeleryWorkload.ResourcesPerNamespace)!.Value)).Distinct())
        {
            connections.Add(await server.ConnectionsNamedAsync(ReaderClientName, cancellationToken).ConfigureAwait(false));
        }

        logger.LogInformation("backlog N={Size}: reader connections per Redis server in use: {Connections}", size, string.Join(", ", connections));
        results.Add(size, Measurement.BacklogConnectionsMin, connections.Min());
        results.Add(size, Measurement.BacklogConnectionsMax, connections.Max());

        // Backlogs standing still.
        var window = options.BacklogInterval * WindowIntervals;
        await emulator.ClearAuditAsync(cancellationToken).ConfigureAwait(false);
        var before = await CountsAsync(cancellationToken).ConfigureAwait(false);
        var operatorCpu = ProcessCpu.Read(operatorProcess.ProcessId);
        var clock = Stopwatch.StartNew();
        logger.LogInformation("backlog N={Size}: measuring for {Window} ({Intervals} reading intervals)", size, window, WindowIntervals);
        await Task.Delay(window, cancellationToken).ConfigureAwait(false);
        var after = await CountsAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        var cpu = ProcessCpu.Read(operatorProcess.ProcessId) - operatorCpu;
        var load = MachineLoad.OneMinuteAverage();
        var writes = await emulator.OperatorWritesAsync(cancellationToken).ConfigureAwait(false);

        // Each server's delta holds the benchmark's own sample (the first INFO, the second AUTH): taken off.
        var commands = before.Zip(after, (b, a) => a.Total - b.Total - RedisServer.CommandsPerSample).Sum();
        var byCommand = before.Zip(after, (b, a) => a.CallsSince(b)).SelectMany(d => d).GroupBy(d => d.Key, d => d.Value)
            .Select(g => (Command: g.Key, Calls: g.Sum() - (g.Key is "info" or "auth" ? servers.Servers.Count : 0)))
            .Where(c => c.Calls > 0).OrderByDescending(c => c.Calls).ToList();
        logger.LogInformation("backlog N={Size}: {Commands} Redis commands in {Seconds:F1}s ({PerCommand}); operator CPU {Cpu:F2}s; {Writes} operator writes; load {Load}",
            size, commands, elapsed.TotalSeconds, string.Join(", ", byCommand.Select(c => $"{c.Command} {c.Calls}")), cpu.TotalSeconds, writes.Count, load);
        results.Add(size, Measurement.BacklogOperatorCpu, cpu.TotalSeconds / elapsed.TotalMinutes);
        results.Add(size, Measurement.BacklogRedisCommands, commands / elapsed.TotalSeconds);
        results.Add(size, Measurement.BacklogStatusWrites, writes.Count(IsStatusWrite));
        results.Add(size, Measurement.BacklogOperatorWrites, writes.Count);
        results.Add(size, Measurement.BacklogMachineLoad, load);

        await ChangeOneQueuePerServerAsync(emulator, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await watch.DisposeAsync().ConfigureAwait(false);

    // Messages added to one queue on each of several servers: exactly those resources' status must be written.
    private async Task ChangeOneQueuePerServerAsync(EmulatorProcess emulator, CancellationToken cancellationToken)
    {
        var size = workload.Size;
        await emulator.ClearAuditAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        foreach (var index in changed)
        {
            await servers.At(workload.RedisPort(index)!.Value).PushAsync(workload.Queue(index, CeleryWorkload.BulkGroup), ChangeMessages, cancellationToken).ConfigureAwait(false);
        }

        // A pass reads every queue once per interval, so the change shows within one interval (two, with slack).
        await asChanged.WaitForAsync(changed.Count, options.BacklogInterval * 2, "backlog: changed queues in status", cancellationToken).ConfigureAwait(false);
        var seen = clock.Elapsed;
        // One more full interval: a pass that wrote anything else would show in the audit now.
        await Task.Delay(options.BacklogInterval, cancellationToken).ConfigureAwait(false);
        var statusWrites = (await emulator.OperatorWritesAsync(cancellationToken).ConfigureAwait(false)).Where(IsStatusWrite).ToList();
        var changedNames = changed.Select(CeleryWorkload.Name).ToHashSet(StringComparer.Ordinal);
        var others = statusWrites.Count(w => w.Name is null || !changedNames.Contains(w.Name));
        logger.LogInformation("backlog N={Size}: {Changed} queues changed, all in status after {Seconds:F1}s; {Writes} status writes ({Others} of other resources): {Names}",
            size, changed.Count, seen.TotalSeconds, statusWrites.Count, others, string.Join(", ", statusWrites.Select(w => w.Name)));
        results.Add(size, Measurement.BacklogChangedQueues, changed.Count);
        results.Add(size, Measurement.BacklogChangeWrites, statusWrites.Count);
        results.Add(size, Measurement.BacklogChangeOtherWrites, others);
        results.Add(size, Measurement.BacklogChangeSeconds, seen.TotalSeconds);
    }

    private async Task<List<CommandCounts>> CountsAsync(CancellationToken cancellationToken)
    {
        var counts = new List<CommandCounts>(servers.Servers.Count);
        foreach (var server in servers.Servers)
        {
            counts.Add(await server.CommandCountsAsync(cancellationToken).ConfigureAwait(false));
        }

        return counts;
    }

    private static long LoadedBacklog(int index) => index % LoadedEvery == 0 ? LoadedMessages + LoadedPriorityMessages : 0;

    private static bool IsStatusWrite(AuditRecord write) => write.Resource == CeleryResource.Plural && write.Subresource == "status";

    private static string Name(ObservedEvent observed) => observed.Object.GetProperty("metadata").GetProperty("name").GetString() ?? "";

    private static long? Backlog(ObservedEvent observed) =>
        observed.Object.TryGetProperty("status", out var status) && status.TryGetProperty("backlog", out var backlog) && backlog.ValueKind == System.Text.Json.JsonValueKind.Number
            ? backlog.GetInt64()
            : null;
}
