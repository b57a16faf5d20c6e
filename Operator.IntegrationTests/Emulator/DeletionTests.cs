using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
public sealed class DeletionTests
{
    private EmulatorSession session = null!;

    [SetUp]
    public async Task StartAsync() => session = await EmulatorSession.StartAsync();

    [TearDown]
    public async Task StopAsync() => await session.DisposeAsync();

    private async Task<bool> ExistsAsync(string name)
    {
        try
        {
            await session.Client.AppsV1.ReadNamespacedDeploymentAsync(name, "default");
            return true;
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [Test]
    public async Task FinalizersKeepObjectUntilRemoved()
    {
        var cm = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/hold"] },
        }, "default");
        await session.Client.CoreV1.DeleteNamespacedConfigMapAsync("held", "default");
        var deleting = await session.Client.CoreV1.ReadNamespacedConfigMapAsync("held", "default");
        Assert.That(deleting.Metadata.DeletionTimestamp, Is.Not.Null);
        deleting.Metadata.Finalizers = [];
        await session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(deleting, "held", "default");
        var gone = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.ReadNamespacedConfigMapAsync("held", "default"));
        Assert.That(gone!.Response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(cm.Metadata.Uid, Is.Not.Empty);
    }

    [Test]
    public async Task BackgroundDeletionCollectsDependents()
    {
        var owner = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "default");
        await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("child", 1, owner.Metadata.Uid), "default");
        await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("unrelated", 1), "default");
        await session.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Background");
        await Eventually.GetAsync(() => ExistsAsync("child"), exists => !exists, because: "the dependent is collected");
        Assert.That(await ExistsAsync("unrelated"), Is.True);
    }

    [Test]
    public async Task ForegroundDeletionWaitsForDependents()
    {
        var owner = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "default");
        var child = Deployments.Make("child", 1, owner.Metadata.Uid);
        child.Metadata.Finalizers = ["example.com/slow"];
        await session.Client.AppsV1.CreateNamespacedDeploymentAsync(child, "default");
        await session.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Foreground");
        var waiting = await session.Client.CoreV1.ReadNamespacedConfigMapAsync("owner", "default");
        Assert.That(waiting.Metadata.Finalizers, Does.Contain("foregroundDeletion"));
        var deletingChild = await Eventually.GetAsync(() => session.Client.AppsV1.ReadNamespacedDeploymentAsync("child", "default"),
            d => d.Metadata.DeletionTimestamp is not null, because: "the dependent is being deleted");
        deletingChild.Metadata.Finalizers = deletingChild.Metadata.Finalizers.Where(f => f != "example.com/slow").ToList();
        await session.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deletingChild, "child", "default");
        await Eventually.GetAsync(async () => (await session.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Count, count => count == 0,
            because: "the owner goes once its dependents are gone");
        Assert.That(await ExistsAsync("child"), Is.False);
    }

    [Test]
    public async Task OrphanDeletionKeepsDependentsAndDropsTheirOwnerReference()
    {
        var owner = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "default");
        await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("child", 1, owner.Metadata.Uid), "default");
        await session.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");
        await Eventually.GetAsync(async () => (await session.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Count, count => count == 0,
            because: "the owner is deleted");
        var child = await session.Client.AppsV1.ReadNamespacedDeploymentAsync("child", "default");
        Assert.That(child.Metadata.OwnerReferences ?? [], Is.Empty);
    }

    [Test]
    public async Task DeletingNamespaceRemovesItsContent()
    {
        await session.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "doomed");
        await session.Client.CoreV1.DeleteNamespaceAsync("doomed");
        await Eventually.GetAsync(async () => (await session.Client.CoreV1.ListNamespaceAsync()).Items.Any(ns => ns.Metadata.Name == "doomed"),
            exists => !exists, because: "the namespace is finalized");
        Assert.That((await session.Client.CoreV1.ListNamespacedConfigMapAsync("doomed")).Items, Is.Empty);
    }

    [Test]
    public async Task PreconditionMismatchIsConflict()
    {
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default");
        var error = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default",
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }));
        Assert.That(error!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }
}
