namespace Operator.IntegrationTests.Emulator;

// Owners and dependents are ConfigMaps: no controller on either target writes to them, so every change seen is the
// garbage collector's.
public sealed class DeletionTests(ClusterTarget target) : ConformanceFixture(target)
{
    private Task<bool> ExistsAsync(string name) =>
        ClusterSession.ExistsAsync(() => Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(name, Cluster.Namespace));

    // blockOwnerDeletion: only dependents whose reference sets it hold an owner in foreground deletion.
    private Task<V1ConfigMap> CreateAsync(string name, V1ConfigMap? owner = null, IList<string>? finalizers = null, bool blocking = false, V1ConfigMap? secondOwner = null) =>
        Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Finalizers = finalizers,
                OwnerReferences = owner is null ? null : [.. new[] { owner, secondOwner }.OfType<V1ConfigMap>().Select(o =>
                    new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = o.Metadata.Name, Uid = o.Metadata.Uid, BlockOwnerDeletion = blocking ? true : null })],
            },
        }, Cluster.Namespace);

    private async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string because) =>
        await Eventually.GetAsync(probe, done, Target.SettleTimeout, because);

    [Test]
    public async Task FinalizersKeepObjectUntilRemoved()
    {
        var cm = await CreateAsync("held", finalizers: ["example.com/hold"]);
        await Cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("held", Cluster.Namespace);
        var deleting = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("held", Cluster.Namespace);
        Assert.That(deleting.Metadata.DeletionTimestamp, Is.Not.Null);
        deleting.Metadata.Finalizers = [];
        await Cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(deleting, "held", Cluster.Namespace);
        var gone = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("held", Cluster.Namespace));
        Assert.That(gone!.Response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(cm.Metadata.Uid, Is.Not.Empty);
    }

    [Test]
    public async Task BackgroundDeletionCollectsDependents()
    {
        await RequireGarbageCollectorAsync();
        var owner = await CreateAsync("owner");
        await CreateAsync("child", owner);
        await CreateAsync("unrelated");
        await Cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Cluster.Namespace, propagationPolicy: "Background");
        await EventuallyAsync(() => ExistsAsync("child"), exists => !exists, "the dependent is collected");
        Assert.That(await ExistsAsync("unrelated"), Is.True);
    }

    [Test]
    public async Task ForegroundDeletionWaitsForBlockingDependents()
    {
        await RequireGarbageCollectorAsync();
        var owner = await CreateAsync("owner");
        await CreateAsync("child", owner, finalizers: ["example.com/slow"], blocking: true);
        await Cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Cluster.Namespace, propagationPolicy: "Foreground");
        var waiting = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("owner", Cluster.Namespace);
        Assert.That(waiting.Metadata.Finalizers, Does.Contain("foregroundDeletion"));
        var deletingChild = await EventuallyAsync(() => Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("child", Cluster.Namespace),
            child => child.Metadata.DeletionTimestamp is not null, "the dependent is being deleted");
        Assert.That(deletingChild.Metadata.Finalizers, Is.EqualTo(new[] { "example.com/slow" }), "a dependent without dependents of its own is deleted in the background");
        Assert.That(await ExistsAsync("owner"), Is.True, "the owner waits for its dependent");
        deletingChild.Metadata.Finalizers = [];
        await Cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(deletingChild, "child", Cluster.Namespace);
        await EventuallyAsync(() => ExistsAsync("owner"), exists => !exists, "the owner goes once its dependents are gone");
        Assert.That(await ExistsAsync("child"), Is.False);
    }

    [Test]
    public async Task ForegroundDeletionDeletesButDoesNotWaitForNonBlockingDependents()
    {
        await RequireGarbageCollectorAsync();
        var owner = await CreateAsync("owner");
        await CreateAsync("child", owner, finalizers: ["example.com/slow"]);
        await Cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Cluster.Namespace, propagationPolicy: "Foreground");
        await EventuallyAsync(() => ExistsAsync("owner"), exists => !exists, "a dependent without blockOwnerDeletion does not hold its owner");
        var child = await EventuallyAsync(() => Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("child", Cluster.Namespace),
            cm => cm.Metadata.DeletionTimestamp is not null, "the dependent is deleted all the same");
        Assert.That(child.Metadata.Finalizers, Is.EqualTo(new[] { "example.com/slow" }), "only its own finalizer keeps it");
        child.Metadata.Finalizers = [];
        await Cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(child, "child", Cluster.Namespace);
        await EventuallyAsync(() => ExistsAsync("child"), exists => !exists, "the dependent goes once its finalizer is removed");
    }

    [Test]
    public async Task DependentWithAnotherOwnerSurvivesForegroundDeletionOfOne()
    {
        await RequireGarbageCollectorAsync();
        var owner = await CreateAsync("owner");
        var keeper = await CreateAsync("keeper");
        await CreateAsync("child", owner, blocking: true, secondOwner: keeper);
        await Cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Cluster.Namespace, propagationPolicy: "Foreground");
        await EventuallyAsync(() => ExistsAsync("owner"), exists => !exists, "the owner goes once the dependent stops naming it");
        var child = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("child", Cluster.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(child.Metadata.DeletionTimestamp, Is.Null, "a dependent with a remaining owner is not deleted");
            Assert.That(child.Metadata.OwnerReferences.Select(reference => reference.Uid), Is.EqualTo(new[] { keeper.Metadata.Uid }), "only the remaining owner is referenced");
        });
    }

    [Test]
    public async Task OrphanDeletionKeepsDependentsAndDropsTheirOwnerReference()
    {
        await RequireGarbageCollectorAsync();
        var owner = await CreateAsync("owner");
        await CreateAsync("child", owner);
        await Cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Cluster.Namespace, propagationPolicy: "Orphan");
        await EventuallyAsync(() => ExistsAsync("owner"), exists => !exists, "the owner is deleted");
        var child = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("child", Cluster.Namespace);
        Assert.That(child.Metadata.OwnerReferences ?? [], Is.Empty);
    }

    [Test]
    public async Task DeletingNamespaceRemovesItsContent()
    {
        await RequireGarbageCollectorAsync();
        var doomed = Cluster.UniqueName($"{ClusterSession.NamespacePrefix}doomed");
        await Cluster.CreateNamespaceAsync(doomed);
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "a" } }, doomed);
        await Cluster.Client.CoreV1.DeleteNamespaceAsync(doomed);
        await EventuallyAsync(() => ClusterSession.ExistsAsync(() => Cluster.Client.CoreV1.ReadNamespaceAsync(doomed)),
            exists => !exists, "the namespace is finalized");
        Assert.That((await Cluster.Client.CoreV1.ListNamespacedSecretAsync(doomed)).Items, Is.Empty);
    }

    [Test]
    public async Task PreconditionMismatchIsConflict()
    {
        await CreateAsync("a");
        var error = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("a", Cluster.Namespace,
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }));
        Assert.That(error!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }
}
