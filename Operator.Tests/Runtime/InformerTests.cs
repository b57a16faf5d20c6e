using k8s;
using k8s.Models;
using Operator.Runtime;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

public sealed class InformerTests
{
    private static readonly ResourceDescriptor ConfigMaps = new("", "v1", "configmaps", "ConfigMap", Namespaced: true);

    private FakeApiServer server = null!;
    private Kubernetes kubernetes = null!;
    private CancellationTokenSource stop = null!;

    [SetUp]
    public async Task SetUp()
    {
        server = await FakeApiServer.StartAsync();
        kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress });
        stop = new CancellationTokenSource();
    }

    [TearDown]
    public async Task TearDown()
    {
        await stop.CancelAsync();
        stop.Dispose();
        kubernetes.Dispose();
        await server.DisposeAsync();
    }

    private (Informer<V1ConfigMap> Informer, RecordingHandler Handler, Task Run) Start(InformerOptions? options = null)
    {
        var informer = new Informer<V1ConfigMap>(ConfigMaps, new ListWatchClient(kubernetes, pageSize: 1), options ?? new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(20) });
        var handler = new RecordingHandler();
        informer.AddHandler(handler);
        return (informer, handler, informer.RunAsync(stop.Token));
    }

    [Test]
    public async Task ListsAllPagesThenSyncsAndFillsKindFromTheDescriptor()
    {
        server.SetObjects("10", FakeApiServer.ConfigMap("a", "one", "5"), FakeApiServer.ConfigMap("a", "two", "6"), FakeApiServer.ConfigMap("b", "three", "7"));
        var (informer, handler, _) = Start();

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(informer.HasSynced, Is.True);
        Assert.That(server.Lists, Has.Count.EqualTo(3), "page size 1 over three objects");
        Assert.That(server.Lists.All(q => q.Contains("limit=1", StringComparison.Ordinal)), Is.True);
        Assert.That(informer.Cache.Count, Is.EqualTo(3));
        Assert.That(informer.Cache.Get(new ObjectKey("a", "one"))!.Kind, Is.EqualTo("ConfigMap"));
        Assert.That(handler.Events, Is.EquivalentTo(new[] { "add a/one@5", "add a/two@6", "add b/three@7" }));
        await Eventually.TrueAsync(() => server.Watches.Contains("10"), "the watch starts from the list's resourceVersion");
    }

    [Test]
    public async Task AWatchThatEndsNormallyResumesFromTheLastResourceVersionWithoutRelisting()
    {
        server.SetObjects("10", FakeApiServer.ConfigMap("a", "one", "5"));
        server.WatchSendsThenCloses(
            FakeApiServer.EventLine("ADDED", FakeApiServer.ConfigMap("a", "two", "11")),
            FakeApiServer.EventLine("BOOKMARK", new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { ResourceVersion = "15" } }));
        server.WatchSendsThenHangs(FakeApiServer.EventLine("MODIFIED", FakeApiServer.ConfigMap("a", "one", "16")));
        var (informer, handler, _) = Start();

        await Eventually.TrueAsync(() => handler.Events.Contains("update a/one@16"), "the second watch's event arrives");

        Assert.That(server.Lists, Has.Count.EqualTo(1), "no relist after a normal end");
        Assert.That(server.Watches.Take(2), Is.EqualTo(new[] { "10", "15" }), "the bookmark's version is where the watch resumes");
        Assert.That(informer.Cache.Get(new ObjectKey("a", "two")), Is.Not.Null);
    }

    [Test]
    public async Task A410ErrorEventRelistsAndDeliversTheDifferenceIncludingDeletions()
    {
        server.SetObjects("10", FakeApiServer.ConfigMap("a", "kept", "5"), FakeApiServer.ConfigMap("a", "vanished", "6"), FakeApiServer.ConfigMap("a", "changed", "7"));
        server.WatchSendsThenCloses(FakeApiServer.GoneLine());
        var (informer, handler, _) = Start();
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        server.SetObjects("30", FakeApiServer.ConfigMap("a", "kept", "5"), FakeApiServer.ConfigMap("a", "changed", "25"), FakeApiServer.ConfigMap("a", "new", "26"));

        await Eventually.TrueAsync(() => server.Watches.Contains("30"), "a watch starts from the relist's version");

        Assert.That(server.Lists.Count, Is.GreaterThanOrEqualTo(2));
        Assert.That(handler.Events.Skip(3), Is.EquivalentTo(new[] { "update a/changed@25", "add a/new@26", "delete a/vanished" }));
        Assert.That(informer.Cache.List().Select(c => c.Metadata.Name), Is.EquivalentTo(new[] { "kept", "changed", "new" }));
    }

    [Test]
    public async Task AnHttp410RelistsToo()
    {
        server.SetObjects("10", FakeApiServer.ConfigMap("a", "one", "5"));
        server.WatchFails(410);
        var (informer, handler, _) = Start();
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));
        server.SetObjects("20");

        await Eventually.TrueAsync(() => server.Watches.Contains("20"), "a watch starts from the relist's version");
        Assert.That(handler.Events, Is.EqualTo(new[] { "add a/one@5", "delete a/one" }));
    }

    [Test]
    public async Task OtherErrorsBackOffAndResumeWithoutRelisting()
    {
        server.SetObjects("10", FakeApiServer.ConfigMap("a", "one", "5"));
        server.WatchFails(500);
        server.WatchFails(503);
        var (informer, _, _) = Start();

        await Eventually.TrueAsync(() => server.Watches.Count >= 3, "the watch is retried twice");
        Assert.That(server.Watches.Take(3), Is.All.EqualTo("10"));
        Assert.That(server.Lists, Has.Count.EqualTo(1));
        Assert.That(informer.HasSynced, Is.True);
    }

    [Test]
    public async Task ADroppedConnectionResumesFromTheLastEventWithoutRelisting()
    {
        server.SetObjects("10");
        RecordingHandler? handler = null;
        server.WatchSendsThenDrops(
            () => Eventually.TrueAsync(() => handler?.Events.Count == 1, "the event is delivered before the drop"),
            FakeApiServer.EventLine("ADDED", FakeApiServer.ConfigMap("a", "one", "11")));
        (var informer, handler, _) = Start();

        await Eventually.TrueAsync(() => server.Watches.Count >= 2, "the watch is reopened");
        Assert.That(server.Watches.Take(2), Is.EqualTo(new[] { "10", "11" }));
        Assert.That(server.Lists, Has.Count.EqualTo(1));
        Assert.That(handler.Events, Is.EqualTo(new[] { "add a/one@11" }));
        Assert.That(informer.ResourceVersions, Is.EqualTo(new[] { "11" }));
    }

    [Test]
    public async Task TheWatchdogRestartsASilentStream()
    {
        server.SetObjects("10");
        server.WatchSendsThenHangs(FakeApiServer.EventLine("ADDED", FakeApiServer.ConfigMap("a", "one", "12")));
        var options = new InformerOptions
        {
            MinWatchTimeout = TimeSpan.FromSeconds(1),
            MaxWatchTimeout = TimeSpan.FromSeconds(1),
            WatchInactivityGrace = TimeSpan.FromMilliseconds(200),
            InitialBackoff = TimeSpan.FromMilliseconds(20),
        };
        Start(options);

        await Eventually.TrueAsync(() => server.Watches.Count >= 2, "the silent stream is restarted");
        Assert.That(server.Watches.Take(2), Is.EqualTo(new[] { "10", "12" }));
        Assert.That(server.Lists, Has.Count.EqualTo(1), "a restart after silence does not relist");
    }

    [Test]
    public async Task ANamespaceListWatchesEachNamespaceSeparately()
    {
        server.SetObjects("10", FakeApiServer.ConfigMap("a", "one", "5"), FakeApiServer.ConfigMap("b", "two", "6"), FakeApiServer.ConfigMap("c", "three", "7"));
        var (informer, _, _) = Start(new InformerOptions { Namespaces = ["a", "c"] });

        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(informer.Cache.List().Select(c => c.Metadata.Name), Is.EquivalentTo(new[] { "one", "three" }));
        await Eventually.TrueAsync(() => server.Watches.Count == 2, "one watch per namespace");
    }

    [Test]
    public async Task StopsWhenCancelled()
    {
        server.SetObjects("10");
        var (_, _, run) = Start();
        await Eventually.TrueAsync(() => server.Watches.Count == 1, "the watch is open");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
