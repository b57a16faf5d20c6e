using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
public sealed class DeploymentControllerTests
{
    [Test]
    public async Task RolloutStatusAppearsAfterDelayAndFollowsSpec()
    {
        await using var session = await EmulatorSession.StartAsync(new EmulatorOptions { DeploymentControllerDelay = TimeSpan.FromMilliseconds(200) });
        var created = await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 3), "default");
        Assert.That(created.Status?.ReadyReplicas, Is.Null);
        var ready = await Eventually.GetAsync(() => session.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default"),
            d => d.Status?.ReadyReplicas == 3, because: "the controller reports the rollout");
        Assert.Multiple(() =>
        {
            Assert.That(ready.Status.ObservedGeneration, Is.EqualTo(1));
            Assert.That(ready.Status.UpdatedReplicas, Is.EqualTo(3));
            Assert.That(ready.Status.AvailableReplicas, Is.EqualTo(3));
            Assert.That(ready.Status.Conditions.Select(c => (c.Type, c.Status)), Is.EquivalentTo(new[] { ("Available", "True"), ("Progressing", "True") }));
        });
        ready.Spec.Replicas = 5;
        await session.Client.AppsV1.ReplaceNamespacedDeploymentAsync(ready, "web", "default");
        var scaled = await Eventually.GetAsync(() => session.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default"),
            d => d.Status?.ReadyReplicas == 5, because: "the controller follows the new spec");
        Assert.That(scaled.Status.ObservedGeneration, Is.EqualTo(2));
    }

    [Test]
    public async Task ControllerIsOffByDefault()
    {
        await using var session = await EmulatorSession.StartAsync();
        await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 1), "default");
        await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("marker", 1), "default");
        var audit = session.Emulator.Audit;
        var store = session.Emulator.Store;
        var version = store.Snapshot.ResourceVersion;
        await session.Client.CoreV1.ListNamespaceAsync();
        Assert.That(store.Snapshot.ResourceVersion, Is.EqualTo(version), "nothing writes status on its own");
        Assert.That(audit.Writes(), Has.Count.EqualTo(2));
    }
}
