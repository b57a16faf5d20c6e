// The emulator's garbage collector in the cases its incremental bookkeeping must not miss: dependents that arrive
// or leave while their owner waits in foreground deletion, chains of owners, and owners gone before their dependents
// arrive. (The cases a real cluster shows the same way are in DeletionTests, which also runs against K3s.)

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
internal sealed class GarbageCollectorTests : EmulatorSessionTest
{
    // Dependents block their owner's foreground deletion (blockOwnerDeletion), as controllers' children do.
    private Task<V1ConfigMap> CreateAsync(string name, V1ConfigMap? owner = null, IList<string>? finalizers = null, string? ownerUid = null) =>
        Session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Finalizers = finalizers,
                OwnerReferences = owner is null && ownerUid is null
                    ? null
                    : [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner?.Metadata.Name ?? "gone", Uid = ownerUid ?? owner!.Metadata.Uid, BlockOwnerDeletion = true }],
            },
        }, "default");

    private async Task<bool> ExistsAsync(string name)
    {
        try
        {
            await Session.Client.CoreV1.ReadNamespacedConfigMapAsync(name, "default");
            return true;
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private Task GoneAsync(string name, string because) => Eventually.GetAsync(() => ExistsAsync(name), exists => !exists, because: because);

    [Test]
    public async Task DependentOfAMissingOwnerIsCollectedOnArrival()
    {
        await CreateAsync("orphan", ownerUid: Guid.NewGuid().ToString());
        await GoneAsync("orphan", "its owner never existed");
    }

    [Test]
    public async Task DependentArrivingDuringForegroundDeletionIsDeletedToo()
    {
        var owner = await CreateAsync("owner");
        await CreateAsync("held", owner, finalizers: ["example.com/hold"]);
        await Session.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        await CreateAsync("late", owner);
        await GoneAsync("late", "a dependent that arrives while its owner waits is deleted as well");
        Assert.That(await ExistsAsync("owner"), Is.True, "the owner still waits for the held dependent");
    }

    [Test]
    public async Task DependentDroppingItsReferenceReleasesAForegroundOwner()
    {
        var owner = await CreateAsync("owner");
        await CreateAsync("held", owner, finalizers: ["example.com/hold"]);
        await Session.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        var held = await Eventually.GetAsync(() => Session.Client.CoreV1.ReadNamespacedConfigMapAsync("held", "default"),
            cm => cm.Metadata.DeletionTimestamp is not null, because: "the dependent is being deleted");
        await Session.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            $$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{held.Metadata.ResourceVersion}}"},{"op":"remove","path":"/metadata/ownerReferences"}]""",
            V1Patch.PatchType.JsonPatch), "held", "default");
        await GoneAsync("owner", "an object that is no longer a dependent does not hold its former owner");
        Assert.That(await ExistsAsync("held"), Is.True, "its own finalizer still holds it");
    }

    [Test]
    public async Task DependentThatStopsBlockingReleasesAForegroundOwner()
    {
        var owner = await CreateAsync("owner");
        await CreateAsync("held", owner, finalizers: ["example.com/hold"]);
        await Session.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        var held = await Eventually.GetAsync(() => Session.Client.CoreV1.ReadNamespacedConfigMapAsync("held", "default"),
            cm => cm.Metadata.DeletionTimestamp is not null, because: "the dependent is being deleted");
        Assert.That(await ExistsAsync("owner"), Is.True, "the blocking dependent holds its owner");
        await Session.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            $$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{held.Metadata.ResourceVersion}}"},{"op":"replace","path":"/metadata/ownerReferences/0/blockOwnerDeletion","value":false}]""",
            V1Patch.PatchType.JsonPatch), "held", "default");
        await GoneAsync("owner", "a dependent that no longer sets blockOwnerDeletion does not hold its owner");
    }

    [Test]
    public async Task ForegroundDeletionGoesDownAChain()
    {
        var top = await CreateAsync("top");
        var middle = await CreateAsync("middle", top);
        await CreateAsync("bottom", middle, finalizers: ["example.com/hold"]);
        await Session.Client.CoreV1.DeleteNamespacedConfigMapAsync("top", "default", propagationPolicy: "Foreground");
        var waitingMiddle = await Eventually.GetAsync(() => Session.Client.CoreV1.ReadNamespacedConfigMapAsync("middle", "default"),
            cm => cm.Metadata.DeletionTimestamp is not null, because: "the middle object is being deleted");
        Assert.That(waitingMiddle.Metadata.Finalizers, Does.Contain("foregroundDeletion"), "a dependent with dependents is deleted in the foreground");
        var bottom = await Eventually.GetAsync(() => Session.Client.CoreV1.ReadNamespacedConfigMapAsync("bottom", "default"),
            cm => cm.Metadata.DeletionTimestamp is not null, because: "the bottom object is being deleted");
        bottom.Metadata.Finalizers = [];
        await Session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(bottom, "bottom", "default");
        await GoneAsync("top", "the chain unwinds once the bottom is gone");
        Assert.That(await ExistsAsync("middle"), Is.False);
    }
}
