// What the generated pod specs do against a real broker: the conformance checks shared by the Redis and
// RabbitMQ fixtures. Each check renders a resource with the operator's builders, runs the rendered containers
// as local processes (CeleryWorkspace) and observes Celery and the broker from outside. Invariants: every
// process a check starts is killed when it ends (workspaces are disposed even on failure), every wait polls
// with a deadline, and each check starts from empty queues.
using System.Text.Json;
using Operator.Celery.Model;

namespace Operator.IntegrationTests.Conformance;

/// <summary>Conformance checks against one broker kind; derived fixtures start the broker and pick the samples.</summary>
[Category(ConformanceCategory.Name)]
[NonParallelizable]
public abstract class BrokerConformanceTests : BrokerFixture
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(60);
    private const int DefaultPrefetchMultiplier = 4;
    private protected RenderedCelery RenderSample(string sample) => RenderedCelery.RenderSample(sample, Broker);

    /// <summary>
    /// The group's worker consumes exactly its queues (a task on a queue it does not list stays pending), with the
    /// configured pool and concurrency, and stops with exit code 0 on SIGTERM.
    /// </summary>
    private protected async Task AssertWorkerConsumesExactlyItsQueuesAsync(string sample, string groupName)
    {
        var rendered = RenderSample(sample);
        var group = rendered.WorkerGroup(groupName);
        var queues = group.EffectiveQueues;
        var foreign = $"conformance.not-{groupName}";
        await Broker.ResetAsync([.. queues, foreign], Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var container = rendered.WorkerContainer(groupName);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));

        // The foreign task goes first: a worker consuming that queue would have taken it before the others.
        await client.SendAsync([TaskMessage.Record(foreign, "foreign"), .. queues.Select(q => TaskMessage.Record(q, "own:" + q))], Cancellation);
        var worker = workspace.Start(container, rendered);
        var records = await WaitForRecordsAsync(workspace, worker, "record", queues.Count);
        var node = CeleryWorkspace.NodeName(container);
        var stats = await client.InspectAsync("stats", node, Cancellation) ?? throw new AssertionException($"worker did not answer inspect stats:\n{worker.Output}");
        var activeQueues = await client.InspectAsync("active_queues", node, Cancellation) ?? throw new AssertionException("worker did not answer inspect active_queues");
        var foreignPending = await Broker.CountReadyAsync(foreign, Cancellation);

        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Queue), Is.EquivalentTo(queues), "one task from each configured queue");
            Assert.That(records.Select(r => r.Token), Has.None.EqualTo("foreign"));
            Assert.That(foreignPending, Is.EqualTo(1), $"the task on {foreign} stays pending");
            Assert.That(records.Select(r => r.Hostname), Has.All.EqualTo(node), "the node name (--hostname when set)");
            Assert.That(activeQueues.EnumerateArray().Select(q => q.GetProperty("name").GetString()), Is.EquivalentTo(queues), "inspect active_queues");
            AssertPool(group, stats, records);
        });

        await AssertWarmStopAsync(rendered, groupName, worker);
    }

    /// <summary>SIGTERM during a task: the worker finishes it, then exits 0 within the pod's grace period.</summary>
    private protected async Task AssertWarmShutdownAsync(string sample, string groupName)
    {
        var rendered = RenderSample(sample);
        var queue = rendered.WorkerGroup(groupName).EffectiveQueues[0];
        await Broker.ResetAsync([queue], Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var container = rendered.WorkerContainer(groupName);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        var worker = workspace.Start(container, rendered);
        var taskId = (await client.SendAsync([TaskMessage.Slow(queue, "warm", 3)], Cancellation)).Single();
        await WaitForRecordsAsync(workspace, worker, "started", 1);

        await worker.TerminateAsync(Cancellation);
        var grace = TimeSpan.FromSeconds(rendered.WorkerDeployment(groupName).Spec.Template.Spec.TerminationGracePeriodSeconds ?? 30);
        var exitCode = await worker.WaitForExitAsync(grace, Cancellation);

        var finished = TaskRecord.ReadAll(workspace.OutputDirectory).Where(r => r.Kind == "finished").Select(r => r.TaskId);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, worker.Output);
            Assert.That(finished, Is.EqualTo(new[] { taskId }), "the running task completed before the worker exited");
        });
    }

    /// <summary>
    /// With no worker running, tasks accumulate exactly where each generated KEDA trigger looks; a group with several
    /// queues scales on their sum; and starting the group's worker drains what KEDA counts.
    /// </summary>
    private protected async Task AssertPendingTasksAccumulateWhereKedaLooksAsync(string sample)
    {
        var rendered = RenderSample(sample);
        var scaled = rendered.Spec.Workers.Where(w => w.Autoscaling?.QueueLength is not null).ToList();
        Assert.That(scaled.Any(g => g.EffectiveQueues.Count > 1), Is.True, "the sample should have a KEDA group with several queues");
        var expected = scaled.SelectMany(g => g.EffectiveQueues).Distinct().Select((q, i) => (Queue: q, Count: 2 + i)).ToDictionary(e => e.Queue, e => (long)e.Count);
        await Broker.ResetAsync(expected.Keys, Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var composite = scaled.First(g => g.EffectiveQueues.Count > 1);
        var container = rendered.WorkerContainer(composite.Name);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        await client.SendAsync(expected.SelectMany(e => Enumerable.Range(0, (int)e.Value).Select(i => TaskMessage.Record(e.Key, $"{e.Key}#{i}"))), Cancellation);

        foreach (var group in scaled)
        {
            var metric = await KedaScaledObjectMetric.MeasureAsync(rendered, rendered.ScaledObject(group.Name), Cancellation);
            Assert.Multiple(() =>
            {
                Assert.That(metric.Triggers.Select(t => t.Value), Is.EqualTo(group.EffectiveQueues.Select(q => expected[q])), $"group {group.Name}: each trigger counts its queue");
                Assert.That(metric.Metric, Is.EqualTo(group.EffectiveQueues.Sum(q => expected[q])), $"group {group.Name}: the scaler's total is the sum");
            });
        }

        var others = scaled.Where(g => g != composite).ToList();
        var othersBefore = await MeasureAllAsync(rendered, others);
        var worker = workspace.Start(container, rendered);
        await Eventually.UntilAsync($"KEDA's metric for {composite.Name} drains to 0 once its worker runs", TaskTimeout,
            ct => KedaScaledObjectMetric.MeasureAsync(rendered, rendered.ScaledObject(composite.Name), ct), m => m.Metric == 0 || worker.HasExited, Cancellation);
        Assert.That(worker.HasExited, Is.False, worker.Output);
        Assert.That(await MeasureAllAsync(rendered, others), Is.EqualTo(othersBefore), "other groups' queues are untouched");
        await AssertWarmStopAsync(rendered, composite.Name, worker);
    }

    /// <summary>
    /// The generated beat command starts, keeps its schedule on the pod's writable volume (and writes nothing in its
    /// working directory), and sends the periodic task, which a worker of the sample runs.
    /// </summary>
    private protected async Task AssertBeatSchedulesPeriodicTaskAsync(string sample)
    {
        var rendered = RenderSample(sample);
        const string defaultQueue = WorkerGroupSpec.DefaultQueue;
        var group = rendered.Spec.Workers.First(w => w.EffectiveQueues.Contains(defaultQueue));
        await Broker.ResetAsync([defaultQueue], Cancellation);
        var beatDeployment = rendered.Object<V1Deployment>(rendered.Names.BeatDeployment);
        var beat = rendered.BeatContainer();
        var mount = beat.VolumeMounts.Single();
        Assert.That(beatDeployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name).EmptyDir, Is.Not.Null, "the schedule volume is an emptyDir");
        Assert.That(beat.Args, Has.Some.StartsWith("--schedule=" + mount.MountPath + "/"), "beat keeps its schedule on the mounted volume");

        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var worker = workspace.Start(rendered.WorkerContainer(group.Name), rendered);
        var beatProcess = workspace.Start(beat, rendered, new Dictionary<string, string> { ["CONFORMANCE_TICK_SECONDS"] = "1" });
        var ticks = await WaitForRecordsAsync(workspace, worker, "tick", 1, beatProcess);

        var scheduleFiles = Directory.GetFiles(workspace.VolumeDirectory(mount), "celerybeat-schedule*");
        Assert.Multiple(() =>
        {
            Assert.That(ticks.Select(t => t.Queue), Has.All.EqualTo(defaultQueue));
            Assert.That(scheduleFiles, Is.Not.Empty, "beat wrote its schedule on the volume");
            Assert.That(Directory.EnumerateFileSystemEntries(workspace.WorkingDirectory), Is.Empty, "beat wrote nothing in its working directory (which may be read-only in an image)");
        });

        await beatProcess.TerminateAsync(Cancellation);
        Assert.That(await beatProcess.WaitForExitAsync(TimeSpan.FromSeconds(30), Cancellation), Is.Zero, beatProcess.Output);
        await AssertWarmStopAsync(rendered, group.Name, worker);
    }

    /// <summary>
    /// With <c>beat.persistence</c>, beat keeps its schedule file on the claim it mounts: a beat started again on the
    /// same volume (a new pod on the same claim) goes on from the run count the previous one stored, instead of
    /// starting a fresh schedule as it does on an emptyDir.
    /// </summary>
    private protected async Task AssertBeatKeepsItsScheduleOnItsClaimAsync(string sample)
    {
        var rendered = RenderSampleWith(sample, spec => spec with { Beat = (spec.Beat ?? new BeatSpec()) with { Enabled = true, Persistence = new PersistenceSpec { Size = "64Mi" } } });
        const string defaultQueue = WorkerGroupSpec.DefaultQueue;
        var group = rendered.Spec.Workers.First(w => w.EffectiveQueues.Contains(defaultQueue));
        await Broker.ResetAsync([defaultQueue], Cancellation);
        var beat = rendered.BeatContainer();
        var beatDeployment = rendered.Object<V1Deployment>(rendered.Names.BeatDeployment);
        var schedule = beat.Args.Single(a => a.StartsWith("--schedule=", StringComparison.Ordinal))["--schedule=".Length..];
        var mount = beat.VolumeMounts.Single(m => schedule.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
        var claim = rendered.Object<V1PersistentVolumeClaim>(rendered.Names.BeatScheduleClaim);
        Assert.Multiple(() =>
        {
            Assert.That(beatDeployment.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim?.ClaimName, Is.EqualTo(claim.Metadata.Name), "the schedule volume is the claim");
            Assert.That(beatDeployment.Spec.Strategy.Type, Is.EqualTo("Recreate"), "two beats never share the claim");
        });

        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var scheduleFile = Path.Combine(workspace.VolumeDirectory(mount), schedule[(mount.MountPath.Length + 1)..]);
        var environment = rendered.Environment(beat);
        var worker = workspace.Start(rendered.WorkerContainer(group.Name), rendered);
        var tickEnvironment = new Dictionary<string, string> { ["CONFORMANCE_TICK_SECONDS"] = "1" };

        var first = workspace.Start(beat, rendered, tickEnvironment);
        await WaitForRecordsAsync(workspace, worker, "tick", 3, first);
        await StopBeatAsync(first);
        var stored = await StoredRunCountAsync(workspace, scheduleFile, environment);
        Assert.That(stored, Is.GreaterThanOrEqualTo(3), "the first beat stored its runs on the claim");

        var ticksBefore = TaskRecord.ReadAll(workspace.OutputDirectory).Count(r => r.Kind == "tick");
        var second = workspace.Start(beat, rendered, tickEnvironment);
        await WaitForRecordsAsync(workspace, worker, "tick", ticksBefore + 1, second);
        await StopBeatAsync(second);
        Assert.That(await StoredRunCountAsync(workspace, scheduleFile, environment), Is.GreaterThan(stored),
            "the second beat read the schedule the first one left on the claim and counted on from it");
        await AssertWarmStopAsync(rendered, group.Name, worker);
    }

    private async Task StopBeatAsync(LocalProcess beat)
    {
        await beat.TerminateAsync(Cancellation);
        Assert.That(await beat.WaitForExitAsync(TimeSpan.FromSeconds(30), Cancellation), Is.Zero, beat.Output);
    }

    /// <summary>The highest run count among the entries of beat's shelve file, read as beat reads it.</summary>
    private async Task<int> StoredRunCountAsync(CeleryWorkspace workspace, string scheduleFile, IReadOnlyDictionary<string, string> environment)
    {
        const string script = "import shelve, sys\ns = shelve.open(sys.argv[1], flag='r')\nprint(max(e.total_run_count for e in s['entries'].values()))";
        var result = await workspace.ExecAsync([LocalPrograms.Python, "-c", script, scheduleFile], environment, TimeSpan.FromSeconds(30), Cancellation);
        Assert.That(result.Succeeded, Is.True, $"reading {scheduleFile}: {result}");
        return int.Parse(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The worker probes recommended in docs/celery-compatibility.md, rendered into the pod spec and run as the
    /// kubelet would (killed at timeoutSeconds): they pass on a healthy worker, fail while the broker is gone, pass
    /// again once it is back, and fail when the worker has stopped.
    /// </summary>
    private protected async Task AssertRecommendedProbesAsync()
    {
        var rendered = RenderedCelery.Render(RecommendedProbes.ResourceYaml(), Broker);
        var group = rendered.Spec.Workers.Single();
        var container = rendered.WorkerContainer(group.Name);
        var probes = new[] { ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) };
        Assert.That(probes.Select(p => p.Item2?.Exec?.Command), Has.All.Not.Null, "the recommended probes are exec probes");
        var env = rendered.Environment(container);
        await Broker.ResetAsync(group.EffectiveQueues, Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var worker = workspace.Start(container, rendered);

        async Task<CommandResult> RunAsync(k8s.Models.V1Probe probe, CancellationToken ct) =>
            await workspace.ExecAsync(probe.Exec.Command, env, TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1), ct);

        // Both probes run at once in each state, as the kubelet runs them independently.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        async Task AssertAllFailAsync(string state)
        {
            await TestContext.Progress.WriteLineAsync($"[{clock.Elapsed.TotalSeconds:0.0} s] probes {state}");
            var results = await Task.WhenAll(probes.Select(p => RunAsync(p.Item2!, Cancellation)));
            Assert.Multiple(() =>
            {
                for (var i = 0; i < probes.Length; i++)
                {
                    Assert.That(results[i].Succeeded, Is.False, $"{probes[i].Item1} probe {state}: {results[i]}");
                }
            });
        }

        async Task WaitUntilAllPassAsync(string state)
        {
            await TestContext.Progress.WriteLineAsync($"[{clock.Elapsed.TotalSeconds:0.0} s] probes {state}");
            await Task.WhenAll(probes.Select(p => Eventually.UntilAsync(
                $"{p.Item1} probe passes {state}", TaskTimeout, ct => RunAsync(p.Item2!, ct), r => r.Succeeded || worker.HasExited, Cancellation)));
        }

        // Not part of the probe: waiting for the worker's own "ready" log line spares probe runs that can only time out.
        await Eventually.UntilAsync("worker logs that it is ready", TaskTimeout, _ => Task.FromResult(worker.Output.Contains(" ready.", StringComparison.Ordinal) || worker.HasExited), Cancellation);
        await WaitUntilAllPassAsync("on the running worker");
        Assert.That(worker.HasExited, Is.False, worker.Output);

        await Broker.StopAsync(Cancellation);
        await AssertAllFailAsync("with the broker gone");

        await Broker.StartAsync(Cancellation);
        await WaitUntilAllPassAsync("again once the broker is back");
        Assert.That(worker.HasExited, Is.False, worker.Output);

        await worker.TerminateAsync(Cancellation);
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(30), Cancellation);
        await AssertAllFailAsync("with the worker stopped");
        await TestContext.Progress.WriteLineAsync($"[{clock.Elapsed.TotalSeconds:0.0} s] done");
    }

    /// <summary>
    /// Renders <paramref name="sample"/> after <paramref name="change"/>, as if the user had written the changed
    /// resource (it goes through YAML, like a resource read from the cluster).
    /// </summary>
    private protected RenderedCelery RenderSampleWith(string sample, Func<CelerySpec, CelerySpec> change)
    {
        var resource = CeleryYaml.LoadResources(File.ReadAllText(RepositoryRoot.File($"deploy/samples/{sample}"))).Single();
        resource.Spec = change(resource.Spec);
        return RenderedCelery.Render(k8s.KubernetesYaml.Serialize(resource), Broker);
    }

    /// <summary>
    /// The defaults the operator derives, as the running worker reports them in `celery inspect stats`: a group
    /// without concurrency runs ceil(its container's CPU limit) pool processes, not one per CPU of the machine, and a
    /// group scaled on queue length without prefetchMultiplier prefetches one message per process.
    /// </summary>
    private protected async Task AssertDerivedDefaultsAsync(string sample, string groupName)
    {
        // A limit of N.5 CPUs, N this machine's count: Celery's own default would give N processes, ours N + 1.
        var cpuLimit = Environment.ProcessorCount + 0.5m;
        var rendered = RenderSampleWith(sample, spec => spec with
        {
            Workers = [.. spec.Workers.Select(w => w.Name != groupName ? w : w with
            {
                Resources = new V1ResourceRequirements
                {
                    Requests = w.Resources?.Requests,
                    Limits = new Dictionary<string, ResourceQuantity>(w.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>()) { ["cpu"] = new($"{(int)(cpuLimit * 1000)}m") },
                },
            })],
        });
        var group = rendered.WorkerGroup(groupName);
        Assert.Multiple(() =>
        {
            Assert.That(group.Concurrency, Is.Null, "concurrency is left to the default");
            Assert.That(group.PrefetchMultiplier, Is.Null, "prefetchMultiplier is left to the default");
            Assert.That(group.Autoscaling?.QueueLength, Is.Not.Null, "the group scales on queue length");
        });
        var expectedConcurrency = Environment.ProcessorCount + 1;
        await Broker.ResetAsync(group.EffectiveQueues, Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var container = rendered.WorkerContainer(groupName);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        var worker = workspace.Start(container, rendered);
        var stats = await Eventually.UntilAsync("the worker answers inspect stats", TaskTimeout,
            ct => client.InspectAsync("stats", CeleryWorkspace.NodeName(container), ct), s => s is not null || worker.HasExited, Cancellation);
        Assert.That(stats, Is.Not.Null, worker.Output);
        var pool = stats!.Value.GetProperty("pool");
        Assert.Multiple(() =>
        {
            Assert.That(pool.GetProperty("max-concurrency").GetInt32(), Is.EqualTo(expectedConcurrency), $"pool size from the CPU limit {cpuLimit}");
            Assert.That(pool.GetProperty("processes").GetArrayLength(), Is.EqualTo(expectedConcurrency));
            Assert.That(stats.Value.GetProperty("prefetch_count").GetInt32(), Is.EqualTo(expectedConcurrency), "prefetch multiplier 1: one message per process");
        });
        await AssertWarmStopAsync(rendered, groupName, worker);
    }

    /// <summary>
    /// softTimeLimit interrupts a task (it sees SoftTimeLimitExceeded) and timeLimit kills it: the task never finishes,
    /// the worker replaces the killed process and keeps running.
    /// </summary>
    private protected async Task AssertTimeLimitsAsync(string sample, string groupName)
    {
        var rendered = RenderSampleWith(sample, spec => spec with
        {
            Workers = [.. spec.Workers.Select(w => w.Name == groupName ? w with { SoftTimeLimit = 1, TimeLimit = 3 } : w)],
        });
        var queue = rendered.WorkerGroup(groupName).EffectiveQueues[0];
        await Broker.ResetAsync([queue], Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var container = rendered.WorkerContainer(groupName);
        Assert.That(container.Args, Is.SupersetOf(new[] { "--soft-time-limit=1", "--time-limit=3" }));
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        var worker = workspace.Start(container, rendered);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var taskId = (await client.SendAsync([TaskMessage.Limited(queue, "limited", 30)], Cancellation)).Single();
        await WaitForRecordsAsync(workspace, worker, "soft-limit", 1);
        await Eventually.UntilAsync("the worker logs the hard time limit", TaskTimeout,
            _ => Task.FromResult(worker.Output), o => o.Contains("Hard time limit (3", StringComparison.Ordinal) || worker.HasExited, Cancellation);
        var kinds = TaskRecord.ReadAll(workspace.OutputDirectory).Where(r => r.TaskId == taskId).Select(r => r.Kind).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(kinds, Is.EquivalentTo(new[] { "started", "soft-limit" }), "interrupted at the soft limit, killed at the hard one, never finished");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(25)), "stopped long before the task's own 30 s");
            Assert.That(worker.HasExited, Is.False, "the worker survives a killed task");
        });

        // The pool replaced the killed process: the worker still runs tasks.
        await client.SendAsync([TaskMessage.Record(queue, "after")], Cancellation);
        await WaitForRecordsAsync(workspace, worker, "record", 1);
        await AssertWarmStopAsync(rendered, groupName, worker);
    }

    /// <summary>
    /// With -Ofair (and prefetch 1), a long task does not hold back short ones: every short task sent after it runs in
    /// the other pool process and finishes while the long one still runs.
    /// </summary>
    private protected async Task AssertFairSchedulingAsync(string sample, string groupName)
    {
        var rendered = RenderSample(sample);
        var container = rendered.WorkerContainer(groupName);
        Assert.That(container.Args, Does.Contain("-Ofair"));
        var queue = rendered.WorkerGroup(groupName).EffectiveQueues[0];
        await Broker.ResetAsync([queue], Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        var worker = workspace.Start(container, rendered);
        var longId = (await client.SendAsync([TaskMessage.Slow(queue, "long", 8)], Cancellation)).Single();
        await WaitForRecordsAsync(workspace, worker, "started", 1);
        const int shortTasks = 6;
        await client.SendAsync(Enumerable.Range(0, shortTasks).Select(i => TaskMessage.Record(queue, $"short{i}")), Cancellation);
        var shorts = await WaitForRecordsAsync(workspace, worker, "record", shortTasks);
        var longFinished = TaskRecord.ReadAll(workspace.OutputDirectory).Any(r => r.Kind == "finished" && r.TaskId == longId);
        var longPid = TaskRecord.ReadAll(workspace.OutputDirectory).Single(r => r.Kind == "started").Pid;
        Assert.Multiple(() =>
        {
            Assert.That(longFinished, Is.False, "every short task finished while the long one was still running");
            Assert.That(shorts.Select(r => r.Pid), Has.None.EqualTo(longPid), "short tasks ran in the free process");
        });
        await AssertWarmStopAsync(rendered, groupName, worker);
    }

    /// <summary>
    /// --autoscale=MAX,MIN: the worker starts MIN pool processes and grows to MAX when that many tasks wait, all
    /// running at once (inspect stats shows the pool and the autoscaler's bounds).
    /// </summary>
    private protected async Task AssertPoolAutoscaleAsync(string sample, string groupName)
    {
        var rendered = RenderSample(sample);
        var group = rendered.WorkerGroup(groupName);
        var autoscale = group.Autoscale ?? throw new AssertionException("the group should set autoscale");
        var container = rendered.WorkerContainer(groupName);
        var queue = group.EffectiveQueues[0];
        await Broker.ResetAsync([queue], Cancellation);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        var worker = workspace.Start(container, rendered);
        var node = CeleryWorkspace.NodeName(container);
        var before = await Eventually.UntilAsync("the worker answers inspect stats", TaskTimeout,
            ct => client.InspectAsync("stats", node, ct), s => s is not null || worker.HasExited, Cancellation);
        Assert.That(before, Is.Not.Null, worker.Output);
        Assert.That(before!.Value.GetProperty("pool").GetProperty("processes").GetArrayLength(), Is.EqualTo(Math.Max(autoscale.Min, 1)), "starts at the minimum");

        await client.SendAsync(Enumerable.Range(0, autoscale.Max).Select(i => TaskMessage.Slow(queue, $"load{i}", 6)), Cancellation);
        var started = await WaitForRecordsAsync(workspace, worker, "started", autoscale.Max);
        var during = await client.InspectAsync("stats", node, Cancellation) ?? throw new AssertionException("no inspect stats under load");
        var finishedEarly = TaskRecord.ReadAll(workspace.OutputDirectory).Count(r => r.Kind == "finished");
        Assert.Multiple(() =>
        {
            Assert.That(started.Select(r => r.Pid).Distinct().Count(), Is.EqualTo(autoscale.Max), "one process per waiting task");
            Assert.That(finishedEarly, Is.Zero, "all ran at once");
            Assert.That(during.GetProperty("pool").GetProperty("processes").GetArrayLength(), Is.EqualTo(autoscale.Max), "grown to the maximum");
            Assert.That(during.GetProperty("autoscaler").GetProperty("max").GetInt32(), Is.EqualTo(autoscale.Max));
            Assert.That(during.GetProperty("autoscaler").GetProperty("min").GetInt32(), Is.EqualTo(autoscale.Min));
        });
        await AssertWarmStopAsync(rendered, groupName, worker);
    }

    private static void AssertPool(WorkerGroupSpec group, JsonElement stats, IReadOnlyList<TaskRecord> records)
    {
        var pool = stats.GetProperty("pool");
        var concurrency = pool.GetProperty("max-concurrency").GetInt32();
        if (group.EffectiveConcurrency is { } configured)
        {
            Assert.That(concurrency, Is.EqualTo(configured), "inspect stats: pool max-concurrency");
        }

        Assert.That(stats.GetProperty("prefetch_count").GetInt32(), Is.EqualTo(concurrency * (group.EffectivePrefetchMultiplier ?? DefaultPrefetchMultiplier)), "inspect stats: prefetch_count");
        var workerPid = stats.GetProperty("pid").GetInt32();
        switch (group.Pool ?? "prefork")
        {
            case "prefork":
                Assert.That(pool.GetProperty("processes").GetArrayLength(), Is.EqualTo(concurrency), "one child process per slot");
                Assert.That(records.Select(r => r.Process), Has.All.StartsWith("ForkPoolWorker"), "tasks run in forked children");
                Assert.That(records.Select(r => r.Pid), Has.None.EqualTo(workerPid));
                if (group.MaxTasksPerChild is { } maxTasks)
                {
                    Assert.That(pool.GetProperty("max-tasks-per-child").GetInt32(), Is.EqualTo(maxTasks), "inspect stats: max-tasks-per-child");
                }

                break;
            case "threads":
                Assert.That(records.Select(r => r.Pid), Has.All.EqualTo(workerPid), "thread pool tasks run in the worker process");
                Assert.That(records.Select(r => r.Thread), Has.All.StartsWith("ThreadPoolExecutor"), "tasks run on pool threads");
                break;
            default:
                Assert.Fail($"no check for pool {group.Pool}");
                break;
        }
    }

    private static async Task<Dictionary<string, long>> MeasureAllAsync(RenderedCelery rendered, IEnumerable<WorkerGroupSpec> groups)
    {
        var metrics = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            metrics[group.Name] = (await KedaScaledObjectMetric.MeasureAsync(rendered, rendered.ScaledObject(group.Name), CancellationToken.None)).Metric;
        }

        return metrics;
    }

    private protected async Task<IReadOnlyList<TaskRecord>> WaitForRecordsAsync(CeleryWorkspace workspace, LocalProcess worker, string kind, int count, LocalProcess? companion = null)
    {
        var processes = companion is null ? new[] { worker } : [worker, companion];
        var records = await Eventually.UntilAsync($"{count} '{kind}' record(s)", TaskTimeout,
            _ => Task.FromResult(TaskRecord.ReadAll(workspace.OutputDirectory).Where(r => r.Kind == kind).ToList()),
            r => r.Count >= count || processes.Any(p => p.HasExited), Cancellation);
        foreach (var process in processes)
        {
            Assert.That(process.HasExited, Is.False, $"{process} exited early:\n{process.Output}");
        }

        return records;
    }

    private async Task AssertWarmStopAsync(RenderedCelery rendered, string groupName, LocalProcess worker)
    {
        await worker.TerminateAsync(Cancellation);
        var grace = TimeSpan.FromSeconds(rendered.WorkerDeployment(groupName).Spec.Template.Spec.TerminationGracePeriodSeconds ?? 30);
        Assert.That(await worker.WaitForExitAsync(grace, Cancellation), Is.Zero, $"SIGTERM stops the worker cleanly:\n{worker.Output}");
    }
}
