using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
public sealed class WatchTests
{
    private EmulatorSession session = null!;

    [SetUp]
    public async Task StartAsync() => session = await EmulatorSession.StartAsync(new EmulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });

    [TearDown]
    public async Task StopAsync() => await session.DisposeAsync();

    private Task<V1ConfigMap> CreateAsync(string name, string ns = "default", IDictionary<string, string>? labels = null) =>
        session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, Labels = labels } }, ns);

    [Test]
    public async Task WatchWithoutVersionStartsWithCurrentStateThenChanges()
    {
        await CreateAsync("existing");
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, "/api/v1/namespaces/default/configmaps?watch=true");
        var first = await watch.NextAsync();
        Assert.That((RawWatch.Type(first!), RawWatch.Name(first!)), Is.EqualTo(("ADDED", "existing")));
        await CreateAsync("new");
        await CreateAsync("elsewhere", "kube-system");
        await session.Client.CoreV1.DeleteNamespacedConfigMapAsync("new", "default");
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "DELETED");
        Assert.That(events.Select(change => (RawWatch.Type(change), RawWatch.Name(change))),
            Is.EqualTo(new[] { ("ADDED", "new"), ("DELETED", "new") }));
    }

    [Test]
    public async Task WatchResumesFromResourceVersionWithoutGapsOrRepeats()
    {
        var a = await CreateAsync("a");
        await CreateAsync("b");
        var c = await CreateAsync("c");
        c.Data = new Dictionary<string, string> { ["x"] = "y" };
        await session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(c, "c", "default");
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, $"/api/v1/configmaps?watch=1&resourceVersion={a.Metadata.ResourceVersion}");
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "MODIFIED");
        Assert.That(events.Select(change => (RawWatch.Type(change), RawWatch.Name(change))),
            Is.EqualTo(new[] { ("ADDED", "b"), ("ADDED", "c"), ("MODIFIED", "c") }));
    }

    [Test]
    public async Task WatchFromCompactedVersionGetsExpiredError()
    {
        var a = await CreateAsync("a");
        await CreateAsync("b");
        session.Emulator.Faults.CompactHistory();
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={a.Metadata.ResourceVersion}");
        Assert.That(watch.StatusCode, Is.EqualTo(200));
        var error = await watch.NextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(RawWatch.Type(error!), Is.EqualTo("ERROR"));
            Assert.That(error!["object"]!["code"]!.GetValue<int>(), Is.EqualTo(410));
            Assert.That(error["object"]!["reason"]!.GetValue<string>(), Is.EqualTo("Expired"));
            Assert.That(error["object"]!["message"]!.GetValue<string>(), Does.StartWith("too old resource version"));
        });
        Assert.That(await watch.NextAsync(), Is.Null, "the stream ends after the error");
    }

    [Test]
    public async Task HistoryWindowIsBounded()
    {
        await using var small = await EmulatorSession.StartAsync(new EmulatorOptions { WatchHistorySize = 3 });
        var first = await small.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");
        for (var i = 0; i < 5; i++)
        {
            await small.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"n{i}" } }, "default");
        }

        await using var watch = await RawWatch.OpenAsync(small.Emulator.BaseAddress, $"/api/v1/configmaps?watch=true&resourceVersion={first.Metadata.ResourceVersion}");
        Assert.That(RawWatch.Type((await watch.NextAsync())!), Is.EqualTo("ERROR"));
    }

    [Test]
    public async Task BookmarksCarryProgressOnlyWhenAllowed()
    {
        await CreateAsync("a");
        var latest = await CreateAsync("other-ns", "kube-system");
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, "/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true");
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "BOOKMARK");
        var bookmark = events[^1];
        Assert.Multiple(() =>
        {
            Assert.That(bookmark["object"]!["kind"]!.GetValue<string>(), Is.EqualTo("ConfigMap"));
            Assert.That(long.Parse(bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>()),
                Is.GreaterThanOrEqualTo(long.Parse(latest.Metadata.ResourceVersion)));
        });

        await using var plain = await RawWatch.OpenAsync(session.Emulator.BaseAddress, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1");
        var all = new List<JsonObject>();
        while (await plain.NextAsync(TimeSpan.FromSeconds(5)) is { } change)
        {
            all.Add(change);
        }

        Assert.That(all.Select(RawWatch.Type), Is.EqualTo(new[] { "ADDED" }), "no bookmarks unless asked; timeoutSeconds ends the stream");
    }

    [Test]
    public async Task LabelFilteredWatchSeesObjectsEnterAndLeave()
    {
        var created = await CreateAsync("a", labels: new Dictionary<string, string> { ["app"] = "x" });
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&labelSelector=app%3Dy&resourceVersion={created.Metadata.ResourceVersion}");
        created.Metadata.Labels["app"] = "y";
        created = await session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default");
        created.Metadata.Labels["app"] = "z";
        await session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default");
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "DELETED");
        Assert.That(events.Select(RawWatch.Type), Is.EqualTo(new[] { "ADDED", "DELETED" }));
    }

    [Test]
    public async Task CloseAllWatchesEndsStreamsAndClientCanResume()
    {
        var a = await CreateAsync("a");
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={a.Metadata.ResourceVersion}");
        await CreateAsync("b");
        var seen = await watch.ReadUntilAsync(change => RawWatch.Name(change) == "b");
        session.Emulator.Faults.CloseAllWatches();
        Assert.That(await watch.NextAsync(), Is.Null);
        var lastVersion = seen[^1]["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>();
        await CreateAsync("c");
        await using var resumed = await RawWatch.OpenAsync(session.Emulator.BaseAddress, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={lastVersion}");
        Assert.That(RawWatch.Name((await resumed.NextAsync())!), Is.EqualTo("c"));
    }

    [Test]
    public async Task StalledWatchDeliversNothingUntilReleased()
    {
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, "/api/v1/namespaces/default/configmaps?watch=true");
        session.Emulator.Faults.StallWatches(true);
        await CreateAsync("a");
        var pending = watch.NextAsync(TimeSpan.FromSeconds(10));
        var first = await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.That(first, Is.Not.SameAs(pending), "a stalled watch sends nothing");
        session.Emulator.Faults.StallWatches(false);
        var change = await pending;
        Assert.That((RawWatch.Type(change!), RawWatch.Name(change!)), Is.EqualTo(("ADDED", "a")));
    }

    [Test]
    public async Task KubernetesClientWatchReceivesTypedEvents()
    {
        var list = await session.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var creator = Task.Run(async () => await CreateAsync("typed"));
        await foreach (var (type, item) in session.Client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
        {
            Assert.That((type, item.Metadata.Name), Is.EqualTo((WatchEventType.Added, "typed")));
            break;
        }

        await creator;
    }
}
