using k8s.Models;
using Operator.Runtime;
using Operator.Runtime.Handler;
using Operator.Runtime.Queue;

namespace Operator.Tests.Runtime;

public sealed class EventHandlerTests
{
    private static V1ConfigMap Child(string name, string? ownerName, string ownerKind = "Thing", string ownerApiVersion = "example.com/v1", bool controller = true) => new()
    {
        Metadata = new V1ObjectMeta
        {
            NamespaceProperty = "ns",
            Name = name,
            OwnerReferences = ownerName is null ? null : [new V1OwnerReference { ApiVersion = ownerApiVersion, Kind = ownerKind, Name = ownerName, Uid = "u", Controller = controller }],
        },
    };

    [Test]
    public async Task ForObjectEnqueuesTheObjectsKey()
    {
        var queue = new WorkQueue<ObjectKey>("test");
        var handler = new EnqueueForObject<V1ConfigMap>(queue);
        handler.OnAdd(Child("a", null), isInInitialList: false);
        handler.OnUpdate(Child("a", null), Child("a", null));
        handler.OnDelete(Child("b", null));
        Assert.That(await QueuedKeys.DrainAsync(queue), Is.EqualTo(new[] { "ns/a", "ns/b" }));
    }

    [Test]
    public async Task ForControllerOwnerMatchesKindAndGroupOnly()
    {
        var queue = new WorkQueue<ObjectKey>("test");
        var handler = new EnqueueForControllerOwner<V1ConfigMap>(queue, "Thing", "example.com/v2");
        handler.OnAdd(Child("c1", "owner1"), isInInitialList: false);
        handler.OnAdd(Child("c2", "owner2", ownerKind: "Other"), isInInitialList: false);
        handler.OnAdd(Child("c3", "owner3", ownerApiVersion: "other.com/v1"), isInInitialList: false);
        handler.OnAdd(Child("c4", "owner4", controller: false), isInInitialList: false);
        handler.OnUpdate(Child("c5", "old"), Child("c5", "new"));
        handler.OnDelete(Child("c6", "owner6"));
        Assert.That(await QueuedKeys.DrainAsync(queue), Is.EqualTo(new[] { "ns/owner1", "ns/old", "ns/new", "ns/owner6" }));
    }

    [Test]
    public async Task MappedEnqueuesEveryMappedKeyOfBothStates()
    {
        var queue = new WorkQueue<ObjectKey>("test");
        var handler = new EnqueueMapped<V1ConfigMap>(queue, cm => cm.Metadata.Name == "s1" ? [new ObjectKey("ns", "x"), new ObjectKey("ns", "y")] : [new ObjectKey("ns", "z")]);
        handler.OnUpdate(Child("s1", null), Child("s2", null));
        Assert.That(await QueuedKeys.DrainAsync(queue), Is.EqualTo(new[] { "ns/x", "ns/y", "ns/z" }));
    }

    [Test]
    public void ObjectKeyRoundTrips()
    {
        Assert.That(ObjectKey.Parse("ns/name"), Is.EqualTo(new ObjectKey("ns", "name")));
        Assert.That(ObjectKey.Parse("cluster-scoped").ToString(), Is.EqualTo("cluster-scoped"));
        Assert.That(() => new ObjectKey("ns", ""), Throws.ArgumentException);
    }
}
