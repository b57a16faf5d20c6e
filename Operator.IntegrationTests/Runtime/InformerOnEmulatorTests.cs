using System.Collections.Concurrent;
using Operator.Emulator.Hosting;
using Operator.Runtime.Handler;
using Operator.Runtime.Source;

namespace Operator.IntegrationTests.Runtime;

/// <summary>The informer against the emulator over real HTTP: sync, resume, and relist after compaction.</summary>
public sealed class InformerOnEmulatorTests
{
    private static readonly ResourceDescriptor ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);

    private sealed class Recorder : IResourceEventHandler<V1ConfigMap>
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public void OnAdd(V1ConfigMap obj, bool isInInitialList) => Events.Enqueue($"add {obj.Metadata.Name}");

        public void OnUpdate(V1ConfigMap previous, V1ConfigMap current) => Events.Enqueue($"update {current.Metadata.Name}");

        public void OnDelete(V1ConfigMap obj) => Events.Enqueue($"delete {obj.Metadata.Name}");
    }

    private static V1ConfigMap Map(string name, string value = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Data = new Dictionary<string, string> { ["v"] = value },
    };

    private static async Task<(EmulatorSession Session, Informer<V1ConfigMap> Informer, Recorder Recorder, CancellationTokenSource Stop, Task Run)> StartAsync(int preexisting, InformerOptions? options = null)
    {
        var session = await EmulatorSession.StartAsync(new EmulatorOptions { WatchHistorySize = 50 });
        for (var i = 0; i < preexisting; i++)
        {
            await session.Client.CoreV1.CreateNamespacedConfigMapAsync(Map($"pre-{i}"), "default");
        }

        var informer = new Informer<V1ConfigMap>(ConfigMaps, new ListWatchClient(session.Client, pageSize: 7), options ?? new InformerOptions { Namespaces = ["default"], InitialBackoff = TimeSpan.FromMilliseconds(50) });
        var recorder = new Recorder();
        informer.AddHandler(recorder);
        var stop = new CancellationTokenSource();
        return (session, informer, recorder, stop, informer.RunAsync(stop.Token));
    }

    [Test]
    public async Task ListKeepsTheServersOrderWhilePagesAreDecodedInParallel()
    {
        await using var session = await EmulatorSession.StartAsync(new EmulatorOptions());
        var names = Enumerable.Range(0, 61).Select(i => $"m-{i:D3}").ToList();
        foreach (var name in names.AsEnumerable().Reverse())
        {
            await session.Client.CoreV1.CreateNamespacedConfigMapAsync(Map(name), "default");
        }

        var projection = new ObjectProjection { KeepLabels = false, Keep = ["data"] };
        var listed = await new ListWatchClient(session.Client, pageSize: 4)
            .ListAsync<V1ConfigMap>(new ListWatchTarget(ConfigMaps, "default", Projection: projection), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(listed.Items.Select(m => m.Metadata.Name), Is.EqualTo(names), "16 pages, in the server's order");
            Assert.That(listed.Items.Select(m => m.Kind).Distinct(), Is.EqualTo(new[] { "ConfigMap" }));
            Assert.That(listed.Items.All(m => m.Data["v"] == "1"), Is.True, "each item decoded through the projection");
            Assert.That(long.Parse(listed.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task SyncsFromAPaginatedListThenFollowsTheWatch()
    {
        var (session, informer, recorder, stop, run) = await StartAsync(preexisting: 20);
        await using var _ = session;
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That(informer.Cache.Count, Is.EqualTo(20), "all pages listed");

        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("live"), "default");
        await session.Client.CoreV1.DeleteNamespacedConfigMapAsync("pre-3", "default");
        await Eventually.GetAsync(() => Task.FromResult(recorder.Events.ToArray()), e => e.Contains("add live") && e.Contains("delete pre-3"), because: "watch events delivered");
        Assert.That(informer.Cache.Get(new Operator.Runtime.ObjectKey("default", "pre-3")), Is.Null);
        await stop.CancelAsync();
        await run;
    }

    [Test]
    public async Task ResumesAfterTheServerClosesWatchesWithoutMissingChanges()
    {
        var (session, informer, recorder, stop, run) = await StartAsync(preexisting: 3);
        await using var _ = session;
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        var lists = session.Emulator.Audit.Query(verb: "list", resource: "configmaps").Count;

        session.Emulator.Faults.CloseAllWatches();
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("after-close"), "default");
        await Eventually.GetAsync(() => Task.FromResult(informer.Cache.Count), n => n == 4, because: "change after the close arrives");
        Assert.That(session.Emulator.Audit.Query(verb: "list", resource: "configmaps").Count, Is.EqualTo(lists), "a closed watch resumes without a relist");
        await stop.CancelAsync();
        await run;
    }

    [Test]
    public async Task InactivityWatchdogReplacesAWatchThatHangsPastItsTimeout()
    {
        var (session, informer, recorder, stop, run) = await StartAsync(preexisting: 2, new InformerOptions
        {
            Namespaces = ["default"],
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MinWatchTimeout = TimeSpan.FromSeconds(2),
            MaxWatchTimeout = TimeSpan.FromSeconds(2),
            WatchInactivityGrace = TimeSpan.FromSeconds(1),
        });
        await using var _ = session;
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        var lists = session.Emulator.Audit.Query(verb: "list", resource: "configmaps").Count;

        // The open stream goes silent and outlives its timeoutSeconds: only the client's watchdog can notice.
        session.Emulator.Faults.HangOpenWatches();
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("during-hang"), "default");
        await Eventually.GetAsync(() => Task.FromResult(recorder.Events.ToArray()), e => e.Contains("add during-hang"), TimeSpan.FromSeconds(20),
            "the watchdog gives up on the hung stream and a new watch delivers the change");
        Assert.That(session.Emulator.Audit.Query(verb: "list", resource: "configmaps").Count, Is.EqualTo(lists), "the new watch resumes from the last resourceVersion, without a relist");
        await stop.CancelAsync();
        await run;
    }

    [Test]
    public async Task RelistsWhenOnlyItsResourceVersionIsExpired()
    {
        var (session, informer, recorder, stop, run) = await StartAsync(preexisting: 2);
        await using var _ = session;
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(20));
        var lists = session.Emulator.Audit.Query(verb: "list", resource: "configmaps").Count;

        session.Emulator.Faults.ExpireWatches(new Operator.Emulator.Faults.WatchExpiry("configmaps", session.Emulator.Store.Snapshot.ResourceVersion));
        session.Emulator.Faults.CloseAllWatches();
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("after-expiry"), "default");
        await Eventually.GetAsync(() => Task.FromResult(recorder.Events.ToArray()), e => e.Contains("add after-expiry"), TimeSpan.FromSeconds(20), "the change arrives");
        // The create can reach the informer on the old stream before the emulator closes it; the relist follows.
        await Eventually.TrueAsync(() => session.Emulator.Audit.Query(verb: "list", resource: "configmaps").Count > lists, "the 410 caused a relist");
        await stop.CancelAsync();
        await run;
    }

    [Test]
    public async Task RelistsAfterCompactionAndDeliversDeletionsThatHappenedWhileAway()
    {
        var (session, informer, recorder, stop, run) = await StartAsync(preexisting: 5);
        await using var _ = session;
        await informer.Synced.WaitAsync(TimeSpan.FromSeconds(20));

        // Stall the stream, change things, push the history window past our resourceVersion, then reconnect.
        session.Emulator.Faults.StallWatches(true);
        await session.Client.CoreV1.DeleteNamespacedConfigMapAsync("pre-1", "default");
        for (var i = 0; i < 60; i++)
        {
            await session.Client.CoreV1.CreateNamespacedConfigMapAsync(Map($"churn-{i}"), "default");
        }

        session.Emulator.Faults.CompactHistory();
        session.Emulator.Faults.CloseAllWatches();
        session.Emulator.Faults.StallWatches(false);

        await Eventually.GetAsync(() => Task.FromResult(informer.Cache.Count), n => n == 64, TimeSpan.FromSeconds(30), "relisted to 4 + 60 objects");
        Assert.Multiple(() =>
        {
            Assert.That(recorder.Events, Does.Contain("delete pre-1"), "the deletion missed while away is delivered");
            Assert.That(session.Emulator.Audit.Query(verb: "list", resource: "configmaps").Count, Is.GreaterThanOrEqualTo(2), "a 410 caused a relist");
        });
        await stop.CancelAsync();
        await run;
    }
}
