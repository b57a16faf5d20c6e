using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Operator.Runtime;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

// The informer runs on a fake clock: backoffs and the watchdog wait only for the time a test advances, so no test
// waits for a real timer and none races one.
public sealed class InformerTests
{
    private static readonly ResourceDescriptor ConfigMaps = new("", "v1", "configmaps", "ConfigMap", Namespaced: true);

    private FakeKubernetesApi api = null!;
    private Kubernetes kubernetes = null!;
    private CancellationTokenSource stop = null!;
    private FakeTimeProvider time = null!;

    [SetUp]
    public async Task SetUp()
    {
        api = await FakeKubernetesApi.StartAsync();
        kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = api.BaseAddress });
        stop = new CancellationTokenSource();
        time = new FakeTimeProvider();
    }

    [TearDown]
    public async Task TearDown()
    {
        await stop.CancelAsync();
        stop.Dispose();
        kubernetes.Dispose();
        await api.DisposeAsync();
    }

    private (Informer<V1ConfigMap> Informer, RecordingHandler Handler, Task Run) Start(InformerOptions? options = null)
    {
        var informer = new Informer<V1ConfigMap>(ConfigMaps, new ListWatchClient(kubernetes, pageSize: 1), options ?? InformerOptions.Default, timeProvider: time);
        var handler = new RecordingHandler();
        informer.AddHandler(handler);
        return (informer, handler, informer.RunAsync(stop.Token));
    }

    [Test]
    public async Task ListsAllPagesThenSyncsAndFillsKindFromTheDescriptor()
    {
        api.ConfigMaps.SetObjects("10", FakeConfigMaps.Make("a", "one", "5"), FakeConfigMaps.Make("a", "two", "6"), FakeConfigMaps.Make("b", "three", "7"));
        var (informer, handler, _) = Start();

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(informer.HasSynced, Is.True);
        Assert.That(api.ConfigMaps.Lists, Has.Count.EqualTo(3), "page size 1 over three objects");
        Assert.That(api.ConfigMaps.Lists.All(q => q.Contains("limit=1", StringComparison.Ordinal)), Is.True);
        Assert.That(informer.Cache.Count, Is.EqualTo(3));
        Assert.That(informer.Cache.Get(new ObjectKey("a", "one"))!.Kind, Is.EqualTo("ConfigMap"));
        Assert.That(handler.Events, Is.EquivalentTo(new[] { "add a/one@5", "add a/two@6", "add b/three@7" }));
        await Eventually.TrueAsync(() => api.ConfigMaps.Watches.Contains("10"), "the watch starts from the list's resourceVersion");
    }

    [Test]
    public async Task AWatchThatEndsNormallyResumesFromTheLastResourceVersionWithoutRelisting()
    {
        api.ConfigMaps.SetObjects("10", FakeConfigMaps.Make("a", "one", "5"));
        api.ConfigMaps.WatchSendsThenCloses(
            WatchLines.Event("ADDED", FakeConfigMaps.Make("a", "two", "11")),
            WatchLines.Event("BOOKMARK", new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { ResourceVersion = "15" } }));
        api.ConfigMaps.WatchSendsThenHangs(WatchLines.Event("MODIFIED", FakeConfigMaps.Make("a", "one", "16")));
        var (informer, handler, _) = Start();

        await Eventually.TrueAsync(() => handler.Events.Contains("update a/one@16"), "the second watch's event arrives");

        Assert.That(api.ConfigMaps.Lists, Has.Count.EqualTo(1), "no relist after a normal end");
        Assert.That(api.ConfigMaps.Watches.Take(2), Is.EqualTo(new[] { "10", "15" }), "the bookmark's version is where the watch resumes");
        Assert.That(informer.Cache.Get(new ObjectKey("a", "two")), Is.Not.Null);
    }

    [Test]
    public async Task A410ErrorEventRelistsAndDeliversTheDifferenceIncludingDeletions()
    {
        api.ConfigMaps.SetObjects("10", FakeConfigMaps.Make("a", "kept", "5"), FakeConfigMaps.Make("a", "vanished", "6"), FakeConfigMaps.Make("a", "changed", "7"));
        api.ConfigMaps.WatchSendsThenCloses(WatchLines.Gone());
        var (informer, handler, _) = Start();
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        api.ConfigMaps.SetObjects("30", FakeConfigMaps.Make("a", "kept", "5"), FakeConfigMaps.Make("a", "changed", "25"), FakeConfigMaps.Make("a", "new", "26"));

        await Eventually.TrueAsync(() => api.ConfigMaps.Watches.Contains("30"), "a watch starts from the relist's version");

        Assert.That(api.ConfigMaps.Lists.Count, Is.GreaterThanOrEqualTo(2));
        Assert.That(handler.Events.Skip(3), Is.EquivalentTo(new[] { "update a/changed@25", "add a/new@26", "delete a/vanished" }));
        Assert.That(handler.InitialListAdds, Is.EquivalentTo(new[] { "a/kept", "a/vanished", "a/changed" }), "a relist's add is a change missed, not start-up work");
        Assert.That(informer.Cache.List().Select(c => c.Metadata.Name), Is.EquivalentTo(new[] { "kept", "changed", "new" }));
    }

    [Test]
    public async Task TheFirstListsAddsAndTheReplayToALateHandlerAreMarkedInitialAWatchedAddIsNot()
    {
        api.ConfigMaps.SetObjects("10", FakeConfigMaps.Make("a", "listed", "5"));
        api.ConfigMaps.WatchSendsThenCloses(WatchLines.Event("ADDED", FakeConfigMaps.Make("a", "watched", "11")));
        var (informer, handler, _) = Start();
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => handler.Events.Contains("add a/watched@11"), "the watched add arrives");
        var late = new RecordingHandler();
        informer.AddHandler(late);

        Assert.That(handler.InitialListAdds, Is.EqualTo(new[] { "a/listed" }));
        Assert.That(late.InitialListAdds, Is.EquivalentTo(new[] { "a/listed", "a/watched" }));
    }

    [Test]
    public async Task AnHttp410RelistsToo()
    {
        api.ConfigMaps.SetObjects("10", FakeConfigMaps.Make("a", "one", "5"));
        api.ConfigMaps.WatchFails(410);
        var (informer, handler, _) = Start();
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        api.ConfigMaps.SetObjects("20");

        await Eventually.TrueAsync(() => api.ConfigMaps.Watches.Contains("20"), "a watch starts from the relist's version");
        Assert.That(handler.Events, Is.EqualTo(new[] { "add a/one@5", "delete a/one" }));
    }

    [Test]
    public async Task OtherErrorsBackOffAndResumeWithoutRelisting()
    {
        api.ConfigMaps.SetObjects("10", FakeConfigMaps.Make("a", "one", "5"));
        api.ConfigMaps.WatchFails(500);
        api.ConfigMaps.WatchFails(503);
        var (informer, _, _) = Start();
        await Eventually.TrueAsync(() => api.ConfigMaps.Watches.Count == 1, "the first watch fails");

        await Eventually.AdvanceUntilAsync(time, InformerOptions.Default.InitialBackoff, () => api.ConfigMaps.Watches.Count >= 3, "the watch is retried twice as its backoff passes");
        Assert.That(api.ConfigMaps.Watches.Take(3), Is.All.EqualTo("10"));
        Assert.That(api.ConfigMaps.Lists, Has.Count.EqualTo(1));
        Assert.That(informer.HasSynced, Is.True);
    }

    [Test]
    public async Task ADroppedConnectionResumesFromTheLastEventWithoutRelisting()
    {
        api.ConfigMaps.SetObjects("10");
        RecordingHandler? handler = null;
        api.ConfigMaps.WatchSendsThenDrops(
            () => Eventually.TrueAsync(() => handler?.Events.Count == 1, "the event is delivered before the drop"),
            WatchLines.Event("ADDED", FakeConfigMaps.Make("a", "one", "11")));
        (var informer, handler, _) = Start();

        await Eventually.TrueAsync(() => handler.Events.Count == 1 && api.ConfigMaps.Watches.Count == 1, "the event arrives on the first watch");

        await Eventually.AdvanceUntilAsync(time, InformerOptions.Default.InitialBackoff, () => api.ConfigMaps.Watches.Count >= 2, "the watch is reopened as its backoff passes");
        Assert.That(api.ConfigMaps.Watches.Take(2), Is.EqualTo(new[] { "10", "11" }));
        Assert.That(api.ConfigMaps.Lists, Has.Count.EqualTo(1));
        Assert.That(handler.Events, Is.EqualTo(new[] { "add a/one@11" }));
        Assert.That(informer.ResourceVersions, Is.EqualTo(new[] { "11" }));
    }

    [Test]
    public async Task TheWatchdogRestartsAStreamSilentForItsTimeoutPlusTheGrace()
    {
        api.ConfigMaps.SetObjects("10");
        api.ConfigMaps.WatchSendsThenHangs(WatchLines.Event("ADDED", FakeConfigMaps.Make("a", "one", "12")));
        var options = InformerOptions.Default with { MinWatchTimeout = TimeSpan.FromMinutes(1), MaxWatchTimeout = TimeSpan.FromMinutes(1) };
        var silentLimit = options.MinWatchTimeout + options.WatchInactivityGrace;
        var (_, handler, _) = Start(options);
        await Eventually.TrueAsync(() => handler.Events.Count == 1, "the stream's only event arrives");
        var lastEvent = time.GetUtcNow();

        await Eventually.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => api.ConfigMaps.Watches.Count >= 2, "the silent stream is restarted");

        Assert.That(time.GetUtcNow() - lastEvent, Is.GreaterThanOrEqualTo(silentLimit), "not before the stream was silent for its timeout plus the grace");
        Assert.That(api.ConfigMaps.Watches.Take(2), Is.EqualTo(new[] { "10", "12" }));
        Assert.That(api.ConfigMaps.Lists, Has.Count.EqualTo(1), "a restart after silence does not relist");
    }

    [Test]
    public async Task ANamespaceListWatchesEachNamespaceSeparately()
    {
        api.ConfigMaps.SetObjects("10", FakeConfigMaps.Make("a", "one", "5"), FakeConfigMaps.Make("b", "two", "6"), FakeConfigMaps.Make("c", "three", "7"));
        var (informer, _, _) = Start(new InformerOptions { Namespaces = ["a", "c"] });

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(informer.Cache.List().Select(c => c.Metadata.Name), Is.EquivalentTo(new[] { "one", "three" }));
        await Eventually.TrueAsync(() => api.ConfigMaps.Watches.Count == 2, "one watch per namespace");
    }

    [Test]
    public async Task StopsWhenCancelled()
    {
        api.ConfigMaps.SetObjects("10");
        var (_, _, run) = Start();
        await Eventually.TrueAsync(() => api.ConfigMaps.Watches.Count == 1, "the watch is open");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
