using Operator.Emulator.Hosting;
using Operator.Runtime;

namespace Operator.IntegrationTests.Hosting;

/// <summary>The host against the Kubernetes API emulator: real list/watch, Lease and optimistic concurrency semantics.</summary>
public sealed class EmulatorHandOverTests
{
    private EmulatorSession session = null!;

    [SetUp]
    public async Task SetUp() => session = await EmulatorSession.StartAsync(new EmulatorOptions { InitialNamespaces = ["default", "ops"] });

    [TearDown]
    public async Task TearDown() => await session.DisposeAsync();

    [Test]
    public async Task TwoHostsHandOverTheLeaseOnTheEmulator()
    {
        var timeline = new Timeline();
        await CreateConfigMapAsync("one", 1);
        await using var first = await TestOperator.StartAsync(session.KubeconfigPath, timeline, "first");
        await Eventually.TrueAsync(async () => await first.GetAsync("/readyz") == (200, "leader"), "the first host leads");
        await Eventually.TrueAsync(() => first.Module.DataKeys.GetValueOrDefault(new ObjectKey("default", "one")) == 1, "the leader reconciles from its cache");

        await using var second = await TestOperator.StartAsync(session.KubeconfigPath, timeline, "second");
        await Eventually.TrueAsync(async () => await second.GetAsync("/readyz") == (200, "standby"), "the second host is a synced standby");
        await CreateConfigMapAsync("two", 2);
        await Eventually.TrueAsync(() => first.Module.Reconciles.ContainsKey(new ObjectKey("default", "two")), "the leader reconciles a new object");
        Assert.That(second.Module.Reconciles, Is.Empty, "a standby never reconciles");
        Assert.That((await ReadLeaseAsync()).Spec.HolderIdentity, Is.EqualTo("first"));

        await first.StopAsync();
        var afterStop = await ReadLeaseAsync();
        Assert.That(afterStop.Spec.HolderIdentity is null or "" or "second", Is.True, $"the lease was released (holder now '{afterStop.Spec.HolderIdentity}')");

        await Eventually.TrueAsync(async () => await second.GetAsync("/readyz") == (200, "leader"), "the standby takes over well before the 3 s lease would expire", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => second.Module.DataKeys.GetValueOrDefault(new ObjectKey("default", "two")) == 2, "the new leader reconciles from its warm cache");
        Assert.That((await ReadLeaseAsync()).Spec.HolderIdentity, Is.EqualTo("second"));
        Assert.That(first.Status.Failure, Is.Null);
    }

    private Task<V1ConfigMap> CreateConfigMapAsync(string name, int keys) => session.Client.CoreV1.CreateNamespacedConfigMapAsync(
        new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Data = Enumerable.Range(0, keys).ToDictionary(i => $"k{i}", i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        },
        "default");

    private Task<V1Lease> ReadLeaseAsync() => session.Client.CoordinationV1.ReadNamespacedLeaseAsync(TestOperator.LeaseName, "ops");
}
