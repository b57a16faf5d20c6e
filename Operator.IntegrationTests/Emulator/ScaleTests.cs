// Measures how the emulator copes with the operator benchmarks' population: thousands of owners, each with
// Deployments pointing at it through ownerReferences. Numbers are printed (and recorded in docs/emulator.md), never
// asserted: only the outcome (everything created, everything collected) is checked.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Operator.Emulator.Storage;
using WatchEventType = Operator.Emulator.Storage.WatchEventType;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Explicit("benchmark: run with --filter Category=Benchmark")]
[Category("Emulator")]
[Category("Benchmark")]
public sealed class ScaleTests
{
    private const int Owners = 1_000;
    private const int ChildrenPerOwner = 10;
    private const int Writers = 4;
    private const int Batches = 5;
    private const int ReactionProbes = 20;

    [Test]
    public async Task TenThousandOwnedDeploymentsAreCreatedAndCollected()
    {
        await using var session = await EmulatorSession.StartAsync();
        using var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bench");
        var baseline = RetainedBytes();

        var ownerUids = new string[Owners];
        var owners = await BenchmarkMeasurement.TimeAsync(Owners, () => ForEachAsync(Owners, async i =>
        {
            using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json($$$"""{"metadata":{"name":"owner-{{{i}}}"}}"""));
            created.EnsureSuccessStatusCode();
            ownerUids[i] = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["metadata"]!["uid"]!.GetValue<string>();
        }));
        // In batches, so that a per-write cost growing with the store's size shows as falling batch rates.
        var batches = new List<BenchmarkMeasurement>();
        for (var batch = 0; batch < Batches; batch++)
        {
            var first = batch * Owners * ChildrenPerOwner / Batches;
            batches.Add(await BenchmarkMeasurement.TimeAsync(Owners * ChildrenPerOwner / Batches, () => ForEachAsync(Owners * ChildrenPerOwner / Batches, async n =>
            {
                var i = first + n;
                var owner = i / ChildrenPerOwner;
                using var created = await http.PostAsync("/apis/apps/v1/namespaces/default/deployments", Json(Deployment($"child-{i}", $"owner-{owner}", ownerUids[owner])));
                created.EnsureSuccessStatusCode();
            })));
        }

        var children = new BenchmarkMeasurement(batches.Sum(b => b.Count), TimeSpan.FromTicks(batches.Sum(b => b.Elapsed.Ticks)), TimeSpan.FromTicks(batches.Sum(b => b.Cpu.Ticks)));
        var retained = RetainedBytes() - baseline;
        var stored = session.Emulator.Store.Snapshot.Count;

        var deployments = session.Emulator.Service.Catalog.Find("apps", "v1", "deployments")!.Collection;
        var reactions = await CollectionLatenciesAsync(session, http, deployments);
        var collection = await BenchmarkMeasurement.TimeAsync((Owners - ReactionProbes) * ChildrenPerOwner, async () =>
        {
            await ForEachAsync(Owners - ReactionProbes, async n =>
            {
                using var deleted = await http.DeleteAsync($"/api/v1/namespaces/default/configmaps/owner-{n + ReactionProbes}");
                deleted.EnsureSuccessStatusCode();
            });
            await Eventually.GetAsync(() => Task.FromResult(session.Emulator.Store.Snapshot.Items(deployments, "default").Any()), any => !any,
                TimeSpan.FromMinutes(5), "every dependent is collected");
        });

        TestContext.Out.WriteLine(owners.Describe("owner ConfigMaps created"));
        TestContext.Out.WriteLine(children.Describe("Deployments with an ownerReference created"));
        for (var batch = 0; batch < Batches; batch++)
        {
            TestContext.Out.WriteLine(batches[batch].Describe($"  batch {batch + 1} (store holds {Owners + (batch * batches[batch].Count)} objects before it)"));
        }

        TestContext.Out.WriteLine($"retained after creation: {retained / 1024 / 1024} MiB for {stored} stored objects, " +
            $"{retained / (Owners + children.Count)} bytes per object created (store, indexes, watch history, audit log)");
        TestContext.Out.WriteLine($"garbage collector reaction with {stored} objects stored (owner deleted until its {ChildrenPerOwner} dependents are gone, " +
            $"{ReactionProbes} owners one at a time): median {reactions[reactions.Count / 2].TotalMilliseconds:F1} ms, max {reactions[^1].TotalMilliseconds:F1} ms");
        TestContext.Out.WriteLine(collection.Describe("owners deleted and every Deployment garbage-collected"));
        Assert.That(stored, Is.GreaterThanOrEqualTo(Owners + children.Count));
    }

    /// <summary>Deletes the first owners one at a time, timing each until the store has removed all its dependents; sorted.</summary>
    private static async Task<List<TimeSpan>> CollectionLatenciesAsync(EmulatorSession session, HttpClient http, GroupResource deployments)
    {
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < ReactionProbes; i++)
        {
            using var changes = session.Emulator.Store.Subscribe(deployments, "default", session.Emulator.Store.Snapshot.ResourceVersion);
            var clock = Stopwatch.StartNew();
            using var deleted = await http.DeleteAsync($"/api/v1/namespaces/default/configmaps/owner-{i}");
            deleted.EnsureSuccessStatusCode();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            for (var gone = 0; gone < ChildrenPerOwner;)
            {
                var change = await changes.Events.ReadAsync(deadline.Token);
                gone += change.Type == WatchEventType.Deleted ? 1 : 0;
            }

            latencies.Add(clock.Elapsed);
        }

        latencies.Sort();
        return latencies;
    }

    private static async Task ForEachAsync(int count, Func<int, Task> body)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await body(i);
            }
        })));
    }

    private static long RetainedBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Deployment(string name, string owner, string ownerUid) => $$"""
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "{{name}}", "labels": {"app": "{{name}}"},
           "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "{{owner}}", "uid": "{{ownerUid}}", "controller": true, "blockOwnerDeletion": true}]},
         "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "{{name}}"} },
           "template": {"metadata": {"labels": {"app": "{{name}}"} }, "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]} } } }
        """;
}
