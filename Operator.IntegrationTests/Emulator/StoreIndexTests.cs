// The store snapshot's indexes (by uid, owner uid, namespace) must describe exactly the stored objects after every
// kind of write, since the garbage collector judges objects through them alone.
using Operator.Emulator.Storage;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
public sealed class StoreIndexTests
{
    private static readonly GroupResource ConfigMaps = new(string.Empty, "configmaps");
    private static readonly GroupResource Namespaces = new(string.Empty, "namespaces");

    private static JsonObject Object(string uid, params string[] owners) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["uid"] = uid,
            ["ownerReferences"] = new JsonArray([.. owners.Select(owner => (JsonNode)new JsonObject { ["uid"] = owner })]),
        },
    };

    private static void Put(ObjectStore store, GroupResource type, ObjectKey key, JsonObject obj) =>
        store.Write(type, key, _ => new WriteDecision.Put(obj));

    private static void Remove(ObjectStore store, GroupResource type, ObjectKey key) =>
        store.Write(type, key, current => new WriteDecision.Remove(current!.ToJsonObject()));

    private static string[] Names(IEnumerable<StoredObject> items) => [.. items.Select(item => item.Key.Name).Order(StringComparer.Ordinal)];

    [Test]
    public void IndexesFollowCreatesOwnerChangesAndDeletes()
    {
        var store = new ObjectStore(100);
        Put(store, Namespaces, new ObjectKey("", "team"), Object("ns-uid"));
        Put(store, ConfigMaps, new ObjectKey("team", "owner"), Object("owner-uid"));
        Put(store, ConfigMaps, new ObjectKey("team", "a"), Object("a-uid", "owner-uid"));
        Put(store, ConfigMaps, new ObjectKey("team", "b"), Object("b-uid", "owner-uid", "other-uid"));
        Put(store, ConfigMaps, new ObjectKey("elsewhere", "c"), Object("c-uid", "other-uid"));

        var snapshot = store.Snapshot;
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Count, Is.EqualTo(5));
            Assert.That(snapshot.FindByUid("owner-uid")?.Key, Is.EqualTo(new ObjectKey("team", "owner")));
            Assert.That(snapshot.Exists("other-uid"), Is.False);
            Assert.That(Names(snapshot.DependentsOf("owner-uid")), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(Names(snapshot.DependentsOf("other-uid")), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(Names(snapshot.InNamespace("team")), Is.EqualTo(new[] { "a", "b", "owner" }), "cluster-scoped objects are in no namespace");
        });

        Put(store, ConfigMaps, new ObjectKey("team", "b"), Object("b-uid", "other-uid"));
        Remove(store, ConfigMaps, new ObjectKey("team", "a"));
        snapshot = store.Snapshot;
        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Count, Is.EqualTo(4));
            Assert.That(snapshot.Exists("a-uid"), Is.False);
            Assert.That(snapshot.DependentsOf("owner-uid"), Is.Empty, "a dropped reference and a deleted dependent leave the index");
            Assert.That(Names(snapshot.DependentsOf("other-uid")), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(Names(snapshot.InNamespace("team")), Is.EqualTo(new[] { "b", "owner" }));
        });

        Put(store, ConfigMaps, new ObjectKey("team", "owner"), Object("replaced-uid"));
        Assert.Multiple(() =>
        {
            Assert.That(store.Snapshot.Exists("owner-uid"), Is.False, "a new uid under the same name is a new object");
            Assert.That(store.Snapshot.FindByUid("replaced-uid")?.Key.Name, Is.EqualTo("owner"));
        });
    }

    [Test]
    public void ManyWritesOfOneTypeDoNotExpireAWatchOfAnother()
    {
        var celeries = new GroupResource("celery.example.com", "celeries");
        var store = new ObjectStore(new Operator.Emulator.Hosting.EmulatorOptions().WatchHistorySize);
        Put(store, celeries, new ObjectKey("ns", "app"), Object("app-uid"));
        var start = store.Snapshot.ResourceVersion;
        for (var i = 0; i < 20_000; i++)
        {
            Put(store, ConfigMaps, new ObjectKey("ns", "busy"), Object("busy-uid"));
        }

        Put(store, celeries, new ObjectKey("ns", "app"), Object("app-uid", "owner-uid"));
        using var watch = store.Subscribe(celeries, null, start);
        Assert.Multiple(() =>
        {
            Assert.That(watch.Replay.Select(change => change.ResourceVersion), Is.EqualTo(new[] { store.Snapshot.ResourceVersion }), "the one later Celery change is replayed");
            Assert.That(() => store.Subscribe(ConfigMaps, null, start), Throws.InstanceOf<ResourceVersionTooOldException>(), "the ConfigMap window is bounded");
            Assert.That(store.OldestWatchableResourceVersion(ConfigMaps), Is.EqualTo(start + 20_000 - new Operator.Emulator.Hosting.EmulatorOptions().WatchHistorySize));
        });
    }

    [Test]
    public void SnapshotIncludingReflectsEveryDeliveredEvent()
    {
        var store = new ObjectStore(100);
        using var changes = store.Subscribe(null, null, store.Snapshot.ResourceVersion);
        Put(store, ConfigMaps, new ObjectKey("ns", "a"), Object("a-uid"));
        Assert.That(changes.Events.TryRead(out var change), Is.True);
        Assert.That(store.SnapshotIncluding(change!.ResourceVersion).FindByUid("a-uid"), Is.Not.Null);
    }
}
