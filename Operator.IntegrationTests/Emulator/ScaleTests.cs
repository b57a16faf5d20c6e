// Measures how the emulator copes with the operator benchmarks' population: thousands of owners, each with
// Deployments pointing at it through ownerReferences. Numbers are printed (and recorded in docs/emulator.md), never
// asserted: only the outcome (everything created, everything collected) is checked.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

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

    [Test]
    public async Task TenThousandOwnedDeploymentsAreCreatedAndCollected()
    {
        await using var session = await EmulatorSession.StartAsync();
        using var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bench");
        var baseline = RetainedBytes();

        var ownerUids = new string[Owners];
        var clock = Stopwatch.StartNew();
        await ForEachAsync(Owners, async i =>
        {
            using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json($$$"""{"metadata":{"name":"owner-{{{i}}}"}}"""));
            created.EnsureSuccessStatusCode();
            ownerUids[i] = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["metadata"]!["uid"]!.GetValue<string>();
        });
        var ownersTime = clock.Elapsed;

        clock.Restart();
        await ForEachAsync(Owners * ChildrenPerOwner, async i =>
        {
            var owner = i / ChildrenPerOwner;
            using var created = await http.PostAsync("/apis/apps/v1/namespaces/default/deployments", Json(Deployment($"child-{i}", $"owner-{owner}", ownerUids[owner])));
            created.EnsureSuccessStatusCode();
        });
        var childrenTime = clock.Elapsed;
        var retained = RetainedBytes() - baseline;
        var stored = session.Emulator.Store.Snapshot.Count;

        clock.Restart();
        await ForEachAsync(Owners, async i =>
        {
            using var deleted = await http.DeleteAsync($"/api/v1/namespaces/default/configmaps/owner-{i}");
            deleted.EnsureSuccessStatusCode();
        });
        var deletesTime = clock.Elapsed;
        var deployments = session.Emulator.Service.Catalog.Find("apps", "v1", "deployments")!.Collection;
        await Eventually.GetAsync(() => Task.FromResult(session.Emulator.Store.Snapshot.Items(deployments, "default").Any()), any => !any,
            TimeSpan.FromMinutes(5), "every dependent is collected");
        var collectTime = clock.Elapsed;

        var children = Owners * ChildrenPerOwner;
        TestContext.Out.WriteLine($"{Owners} owner ConfigMaps: {ownersTime.TotalSeconds:F2}s ({Owners / ownersTime.TotalSeconds:F0}/s)");
        TestContext.Out.WriteLine($"{children} owned Deployments: {childrenTime.TotalSeconds:F2}s ({children / childrenTime.TotalSeconds:F0}/s)");
        TestContext.Out.WriteLine($"retained after creation: {retained / 1024 / 1024} MiB for {stored} stored objects, {retained / (Owners + children)} bytes per object created (store, watch history, audit log)");
        TestContext.Out.WriteLine($"deleting the owners: {deletesTime.TotalSeconds:F2}s; every dependent collected after {collectTime.TotalSeconds:F2}s ({children / collectTime.TotalSeconds:F0}/s)");
        Assert.That(stored, Is.GreaterThanOrEqualTo(Owners + children));
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
