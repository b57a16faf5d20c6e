// One repeat at one size: a ceiling phase on a fresh emulator, then an operator phase on another fresh emulator
// (unrelated objects when --noise asks, cold convergence, steady state, backlog, update latency, restart), each
// process started and stopped within the phase; the backlog scenario's Redis servers live for the whole repeat.
// Invariants: both phases create the same resources with the same concurrency and the same simulated
// Deployment controller; the operator runs with MaxConcurrentReconciles equal to that concurrency.
using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Runtime.Apply;

namespace Operator.Benchmarks;

/// <summary>Runs the selected scenarios once for one size and records their values.</summary>
public sealed class BenchmarkRun(RepositoryLayout layout, BenchmarkOptions options, ResultTable results, ILogger logger)
{
    private const string DeploymentsPath = "/apis/apps/v1/deployments";
    private static readonly string CeleriesPath = $"/apis/{CeleryResource.Group}/{CeleryResource.Version}/{CeleryResource.Plural}";
    private static readonly TimeSpan Resync = TimeSpan.FromMinutes(1);

    public async Task RunAsync(int size, CancellationToken cancellationToken)
    {
        await using var brokers = options.Runs(Scenario.Backlog)
            ? await RedisServers.StartAsync(options.RedisEndpoints, CeleryWorkload.RedisPassword, options.LogDirectory, cancellationToken).ConfigureAwait(false)
            : null;
        var workload = new CeleryWorkload(size, brokers?.Ports);
        double? ceiling = null;
        if (options.Runs(Scenario.Ceiling))
        {
            ceiling = await CeilingAsync(workload, cancellationToken).ConfigureAwait(false);
        }

        if (new[] { Scenario.Cold, Scenario.Steady, Scenario.Update, Scenario.Startup, Scenario.Memory, Scenario.SecretNoise, Scenario.Backlog }.Any(options.Runs) || ceiling is not null)
        {
            var cold = await OperatorAsync(workload, brokers, cancellationToken).ConfigureAwait(false);
            if (ceiling is { } c)
            {
                results.Add(size, Measurement.ColdOverCeiling, cold / c);
            }
        }
    }

    private async Task<double> CeilingAsync(CeleryWorkload workload, CancellationToken cancellationToken)
    {
        var size = workload.Size;
        await using var emulator = await EmulatorProcess.StartAsync(layout, options.DeploymentDelay, options.LogDirectory, cancellationToken).ConfigureAwait(false);
        using var client = emulator.CreateLoadClient();
        await ClusterSetup.InstallCrdsAsync(client, layout, cancellationToken).ConfigureAwait(false);
        await workload.PrepareAsync(client, cancellationToken).ConfigureAwait(false);

        // The ceiling writes as the operator would: its field manager, through its apply client.
        using var writerClient = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(emulator.OperatorKubeconfig));
        var ceiling = new CeilingClient(new ServerSideApplyClient(writerClient, Celery.CeleryControllerSettings.FieldManager), workload);
        var expectedDeployments = workload.RenderChildren(workload.Resource(0)).Count(o => o is V1Deployment) * size;
        var available = new KeyedCondition(IsAvailable);
        await using var watch = WatchStream.Start(emulator.BaseAddress, EmulatorProcess.LoadUser, DeploymentsPath, available.Observe);

        var clock = Stopwatch.StartNew();
        var emulatorCpu = ProcessCpu.Read(emulator.ProcessId);
        var writes = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var resource = await workload.CreateAsync(client, index, ct).ConfigureAwait(false);
                Interlocked.Add(ref writes, await ceiling.WriteAsync(resource, ct).ConfigureAwait(false));
            }).ConfigureAwait(false);
        await available.WaitForAsync(expectedDeployments, options.Timeout, "ceiling: Deployments available", cancellationToken).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        logger.LogInformation("ceiling N={Size}: {Seconds:F2}s, {Writes} writes", size, seconds, writes);
        results.Add(size, Measurement.CeilingSeconds, seconds);
        results.Add(size, Measurement.CeilingWrites, writes);
        results.Add(size, Measurement.CeilingEmulatorCores, (ProcessCpu.Read(emulator.ProcessId) - emulatorCpu) / clock.Elapsed);
        return seconds;
    }

    private async Task<double> OperatorAsync(CeleryWorkload workload, RedisServers? brokers, CancellationToken cancellationToken)
    {
        var size = workload.Size;
        await using var emulator = await EmulatorProcess.StartAsync(layout, options.DeploymentDelay, options.LogDirectory, cancellationToken).ConfigureAwait(false);
        using var client = emulator.CreateLoadClient();
        await ClusterSetup.InstallCrdsAsync(client, layout, cancellationToken).ConfigureAwait(false);
        await workload.PrepareAsync(client, cancellationToken).ConfigureAwait(false);
        if (options.NoiseBeforeRun)
        {
            logger.LogInformation("operator N={Size}: creating unrelated objects: {Noise}", size, options.Noise);
            var took = await new UnrelatedObjects(client, workload.Namespaces, UnrelatedObjects.DefaultConcurrency).CreateAsync(options.Noise, "unrelated", cancellationToken).ConfigureAwait(false);
            logger.LogInformation("operator N={Size}: {Count} unrelated objects created in {Seconds:F1}s; emulator RSS {Rss:F0} MB", size, options.Noise.Total, took.TotalSeconds, Megabytes(ProcessMemory.Read(emulator.ProcessId).ResidentBytes));
            results.Add(size, Measurement.NoiseObjects, options.Noise.Total);
            results.Add(size, Measurement.NoiseCreateSeconds, took.TotalSeconds);
        }

        if (brokers is not null)
        {
            await BacklogScenario.LoadQueuesAsync(workload, brokers, cancellationToken).ConfigureAwait(false);
        }

        var operatorProcess = await StartOperatorAsync(cancellationToken).ConfigureAwait(false);
        BacklogScenario? backlog = null;
        try
        {
            var emptyRss = operatorProcess.Memory().ResidentBytes;
            var emptyHeap = await ManagedHeapAsync(operatorProcess, cancellationToken).ConfigureAwait(false);
            var emptyLiveHeap = options.Runs(Scenario.Memory) ? await operatorProcess.LiveHeapAsync(cancellationToken).ConfigureAwait(false) : null;

            // Cold convergence: create the resources at the load's concurrency, wait for every Ready=True.
            var ready = new KeyedCondition(IsReady);
            double coldSeconds;
            await using (WatchStream.Start(emulator.BaseAddress, EmulatorProcess.LoadUser, CeleriesPath, ready.Observe))
            {
                var clock = Stopwatch.StartNew();
                var emulatorCpu = ProcessCpu.Read(emulator.ProcessId);
                var operatorCpu = ProcessCpu.Read(operatorProcess.ProcessId);
                await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
                    async (index, ct) => await workload.CreateAsync(client, index, ct).ConfigureAwait(false)).ConfigureAwait(false);
                await ready.WaitForAsync(size, options.Timeout, "operator: resources Ready", cancellationToken).ConfigureAwait(false);
                coldSeconds = clock.Elapsed.TotalSeconds;
                results.Add(size, Measurement.ColdMachineLoad, MachineLoad.OneMinuteAverage());
                results.Add(size, Measurement.ColdEmulatorCores, (ProcessCpu.Read(emulator.ProcessId) - emulatorCpu) / clock.Elapsed);
                results.Add(size, Measurement.ColdOperatorCores, (ProcessCpu.Read(operatorProcess.ProcessId) - operatorCpu) / clock.Elapsed);
            }

            var coldWriteList = await emulator.OperatorWritesAsync(cancellationToken).ConfigureAwait(false);
            LogWrites("cold convergence", size, coldWriteList);
            var coldWrites = coldWriteList.Count;
            logger.LogInformation("operator N={Size}: all Ready after {Seconds:F2}s, {Writes} writes", size, coldSeconds, coldWrites);
            results.Add(size, Measurement.ColdSeconds, coldSeconds);
            results.Add(size, Measurement.ColdWrites, coldWrites);
            if (options.Runs(Scenario.Memory))
            {
                results.Add(size, Measurement.PeakRss, Megabytes(operatorProcess.Memory().PeakResidentBytes));
            }

            if (brokers is not null)
            {
                // Every first reading in status before the steady window, so the window counts only what stands still.
                backlog = await BacklogScenario.StartAsync(workload, brokers, emulator, options, results, logger, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The same without brokers: the unreachable broker's first failed read is a status write too, and a
                // convergence faster than the reader's first pass would otherwise count it as a steady-state write.
                var backlogNoted = new KeyedCondition(HasBacklogRead);
                await using (WatchStream.Start(emulator.BaseAddress, EmulatorProcess.LoadUser, CeleriesPath, backlogNoted.Observe))
                {
                    await backlogNoted.WaitForAsync(size, options.Timeout, "operator: every first backlog read in status", cancellationToken).ConfigureAwait(false);
                }
            }

            if (options.Runs(Scenario.Steady) || options.Runs(Scenario.Memory))
            {
                await SteadyStateAsync(size, emulator, operatorProcess, workload, emptyRss, emptyHeap, cancellationToken).ConfigureAwait(false);
            }

            if (backlog is not null)
            {
                await backlog.MeasureAsync(emulator, operatorProcess, cancellationToken).ConfigureAwait(false);
            }

            if (options.Runs(Scenario.Update))
            {
                await UpdateLatencyAsync(workload, emulator, client, cancellationToken).ConfigureAwait(false);
            }

            if (options.Runs(Scenario.Memory) && emptyLiveHeap is { } emptyLive)
            {
                // After the update scenario, as the collection it forces changes the heap that scenario would run on.
                await LiveHeapAsync(size, operatorProcess, workload, emptyLive, cancellationToken).ConfigureAwait(false);
            }

            if (options.Runs(Scenario.SecretNoise))
            {
                await SecretNoiseAsync(size, emulator, client, workload, operatorProcess, cancellationToken).ConfigureAwait(false);
            }

            if (options.Runs(Scenario.Startup) || options.Runs(Scenario.Memory))
            {
                await operatorProcess.DisposeAsync().ConfigureAwait(false);
                var emulatorCpu = ProcessCpu.Read(emulator.ProcessId);
                operatorProcess = await StartOperatorAsync(cancellationToken).ConfigureAwait(false);
                var operatorCpu = ProcessCpu.Read(operatorProcess.ProcessId);
                emulatorCpu = ProcessCpu.Read(emulator.ProcessId) - emulatorCpu;
                logger.LogInformation("operator N={Size}: restarted, ready after {Seconds:F2}s (CPU: operator {OperatorCpu:F2}s, emulator {EmulatorCpu:F2}s)",
                    size, operatorProcess.StartToReady.TotalSeconds, operatorCpu.TotalSeconds, emulatorCpu.TotalSeconds);
                results.Add(size, Measurement.StartupSeconds, operatorProcess.StartToReady.TotalSeconds);
                results.Add(size, Measurement.StartupOperatorCpu, operatorCpu.TotalSeconds);
                results.Add(size, Measurement.StartupEmulatorCpu, emulatorCpu.TotalSeconds);
                if (options.Runs(Scenario.Memory))
                {
                    results.Add(size, Measurement.RestartRss, Megabytes(operatorProcess.Memory().ResidentBytes));
                }
            }

            if (options.Hold is { } hold)
            {
                logger.LogInformation("holding for {Hold}: emulator pid {Emulator} at {Address} (load kubeconfig {Load}, operator kubeconfig {Operator}), operator pid {OperatorPid}",
                    hold, emulator.ProcessId, emulator.BaseAddress, emulator.LoadKubeconfig, emulator.OperatorKubeconfig, operatorProcess.ProcessId);
                try
                {
                    await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C ends the hold early; the measurements are taken, so the table is still printed.
                    logger.LogInformation("hold ended by Ctrl-C");
                }
            }

            return coldSeconds;
        }
        catch (TimeoutException)
        {
            logger.LogError("operator output before the timeout:{NewLine}{Output}", Environment.NewLine, operatorProcess.RecentOutput());
            throw;
        }
        finally
        {
            if (backlog is not null)
            {
                await backlog.DisposeAsync().ConfigureAwait(false);
            }

            await operatorProcess.DisposeAsync().ConfigureAwait(false);
        }

        Task<ReadyOperator> StartOperatorAsync(CancellationToken ct) =>
            ReadyOperator.StartAsync(layout, emulator.OperatorKubeconfig, options.Concurrency, Resync, options.OperatorSettings(), options.OperatorEnvironment(), options.Timeout, options.LogDirectory, ct);
    }

    private async Task SteadyStateAsync(int size, EmulatorProcess emulator, ReadyOperator operatorProcess, CeleryWorkload workload, long emptyRss, double? emptyHeap, CancellationToken cancellationToken)
    {
        await emulator.ClearAuditAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("operator N={Size}: counting writes for {Window}", size, options.SteadyWindow);
        var operatorCpu = ProcessCpu.Read(operatorProcess.ProcessId);
        var clock = Stopwatch.StartNew();
        await Task.Delay(options.SteadyWindow, cancellationToken).ConfigureAwait(false);
        var cpu = ProcessCpu.Read(operatorProcess.ProcessId) - operatorCpu;
        var writes = await emulator.OperatorWritesAsync(cancellationToken).ConfigureAwait(false);
        LogWrites("steady state", size, writes);

        results.Add(size, Measurement.SteadyWrites, writes.Count);
        results.Add(size, Measurement.SteadyOperatorCpu, cpu.TotalSeconds / clock.Elapsed.TotalMinutes);
        if (!options.Runs(Scenario.Memory))
        {
            return;
        }

        var rss = operatorProcess.Memory().ResidentBytes;
        var heap = await ManagedHeapAsync(operatorProcess, cancellationToken).ConfigureAwait(false);
        var objects = CachedObjects(size, workload);
        results.Add(size, Measurement.SteadyRss, Megabytes(rss));
        results.Add(size, Measurement.CachedObjects, objects);
        results.Add(size, Measurement.RssPerObject, (double)(rss - emptyRss) / objects);
        if (heap is { } h && emptyHeap is { } e)
        {
            results.Add(size, Measurement.ManagedHeap, h / (1024 * 1024));
            results.Add(size, Measurement.HeapPerObject, (h - e) / objects);
        }

        results.Add(size, Measurement.EmulatorRss, Megabytes(ProcessMemory.Read(emulator.ProcessId).ResidentBytes));
    }

    /// <summary>
    /// Creates unrelated Secrets (none referenced by any resource) in the workload's namespaces once the operator has
    /// converged, then waits for its resident memory to settle: what they cost it, and how many it read.
    /// </summary>
    private async Task SecretNoiseAsync(int size, EmulatorProcess emulator, Kubernetes client, CeleryWorkload workload, ReadyOperator operatorProcess, CancellationToken cancellationToken)
    {
        var before = operatorProcess.Memory().ResidentBytes;
        await emulator.ClearAuditAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("operator N={Size}: creating {Count} unrelated Secrets of {Bytes} bytes", size, options.Noise.Secrets, options.Noise.SecretBytes);
        await new UnrelatedObjects(client, workload.Namespaces, options.Concurrency).CreateSecretsAsync(options.Noise.Secrets, options.Noise.SecretBytes, "noise", cancellationToken).ConfigureAwait(false);

        // Settled: five one-second samples within 1 MB of each other (the informer has seen every Secret by then).
        var samples = new Queue<long>();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < options.Timeout)
        {
            samples.Enqueue(operatorProcess.Memory().ResidentBytes);
            if (samples.Count > 5)
            {
                samples.Dequeue();
            }

            if (samples.Count == 5 && samples.Max() - samples.Min() < 1024 * 1024)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        var after = samples.Last();
        var reads = (await emulator.OperatorRequestsAsync(cancellationToken).ConfigureAwait(false))
            .Count(e => e.Verb == "get" && e.Resource == "secrets" && e.Name?.StartsWith("noise-", StringComparison.Ordinal) == true);
        logger.LogInformation("operator N={Size}: RSS {Before} MB -> {After} MB with {Count} unrelated Secrets; {Reads} read", size, Megabytes(before), Megabytes(after), options.Noise.Secrets, reads);
        results.Add(size, Measurement.NoiseRssBefore, Megabytes(before));
        results.Add(size, Measurement.NoiseRssAfter, Megabytes(after));
        results.Add(size, Measurement.NoiseRssGrowth, Megabytes(after - before));
        results.Add(size, Measurement.NoiseSecretReads, reads);
    }

    private async Task UpdateLatencyAsync(CeleryWorkload workload, EmulatorProcess emulator, Kubernetes client, CancellationToken cancellationToken)
    {
        var size = workload.Size;
        var tracker = new UpdateLatencyTracker();
        await using var watch = WatchStream.Start(emulator.BaseAddress, EmulatorProcess.LoadUser, DeploymentsPath, tracker.Observe);
        var deploymentsPerResource = 4;
        var deadline = Stopwatch.StartNew();
        while (tracker.KnownDeployments < size * deploymentsPerResource && deadline.Elapsed < options.Timeout)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        var updates = Math.Min(size, 1000);
        var interval = TimeSpan.FromSeconds(1 / options.UpdateRate);
        var patches = new List<Task>(updates);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < updates; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken).ConfigureAwait(false);
            }

            var resource = workload.Resource(i);
            tracker.Expect($"{resource.Metadata.NamespaceProperty}/{new Celery.Naming.ChildNames(resource.Metadata.Name).WorkerDeployment(CeleryWorkload.WorkerGroup)}");
            var patch = new V1Patch("""[{"op":"replace","path":"/spec/workers/0/concurrency","value":8}]""", V1Patch.PatchType.JsonPatch);
            patches.Add(client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, CeleryResource.Group, CeleryResource.Version,
                resource.Metadata.NamespaceProperty, CeleryResource.Plural, resource.Metadata.Name, cancellationToken: cancellationToken));
        }

        await Task.WhenAll(patches).ConfigureAwait(false);
        var settle = Stopwatch.StartNew();
        while (tracker.Completed < updates && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        var milliseconds = tracker.Latencies.Select(l => l.TotalMilliseconds).ToList();
        logger.LogInformation("update N={Size}: {Updates} patches in {Seconds:F1}s, {Observed} observed", size, updates, clock.Elapsed.TotalSeconds, milliseconds.Count);
        results.Add(size, Measurement.UpdateP50, Percentiles.Of(milliseconds, 50));
        results.Add(size, Measurement.UpdateP99, Percentiles.Of(milliseconds, 99));
        results.Add(size, Measurement.UpdateMissed, updates - milliseconds.Count);
    }

    private async Task LiveHeapAsync(int size, ReadyOperator operatorProcess, CeleryWorkload workload, double emptyLive, CancellationToken cancellationToken)
    {
        if (await operatorProcess.LiveHeapAsync(cancellationToken).ConfigureAwait(false) is not { } live)
        {
            return;
        }

        results.Add(size, Measurement.LiveHeap, live / (1024 * 1024));
        results.Add(size, Measurement.LiveHeapPerObject, (live - emptyLive) / CachedObjects(size, workload));
        results.Add(size, Measurement.RssAfterFullGc, Megabytes(operatorProcess.Memory().ResidentBytes));
    }

    /// <summary>Celery resources, their children, and the broker Secrets (the operator caches every Secret it may read).</summary>
    private static int CachedObjects(int size, CeleryWorkload workload) =>
        size * (1 + workload.RenderChildren(workload.Resource(0)).Count) + workload.NamespaceCount;

    private void LogWrites(string phase, int size, IReadOnlyList<AuditRecord> writes)
    {
        foreach (var group in writes.GroupBy(w => $"{w.Verb} {w.Resource}{(w.Subresource is { Length: > 0 } s ? "/" + s : "")}").OrderByDescending(g => g.Count()))
        {
            logger.LogInformation("{Phase} N={Size}: {Count} x {Write}", phase, size, group.Count(), group.Key);
        }
    }

    /// <summary>The GC heap size after the last collection, summed over generations, when the operator exports it.</summary>
    private static async Task<double?> ManagedHeapAsync(ReadyOperator operatorProcess, CancellationToken cancellationToken) =>
        await operatorProcess.MetricSumAsync("dotnet_gc_last_collection_heap_size_bytes", cancellationToken).ConfigureAwait(false);

    private static bool IsReady(ObservedEvent observed) => HasCondition(observed, CeleryConditions.Ready, "True");

    private static bool HasBacklogRead(ObservedEvent observed) => HasCondition(observed, CeleryConditions.BacklogRead, status: null);

    /// <summary>Whether the observed resource's status has a condition of <paramref name="type"/> (with <paramref name="status"/>, when given).</summary>
    private static bool HasCondition(ObservedEvent observed, string type, string? status) =>
        observed.Object.TryGetProperty("status", out var resourceStatus)
        && resourceStatus.TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == type && (status is null || c.GetProperty("status").GetString() == status));

    private static bool IsAvailable(ObservedEvent observed) =>
        observed.Object.TryGetProperty("status", out var status)
        && status.TryGetProperty("observedGeneration", out var observedGeneration) && observedGeneration.GetInt64() == observed.Generation
        && status.TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Available" && c.GetProperty("status").GetString() == "True");

    private static double Megabytes(long bytes) => bytes / (1024.0 * 1024);
}
