// Base of the fixtures that run on any cluster: each runs once per cluster target (fixture parameter, declared here
// and inherited, with the category "Emulator"), and each test gets a fresh ClusterSession. A target that cannot run here is skipped with its reason, as is a test marked
// EmulatorOnly on any target but the in-process emulator, and an assertion that needs a controller the cluster
// lacks (RequireGarbageCollectorAsync).

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[TestFixtureSource(typeof(ClusterTargets), nameof(ClusterTargets.All))]
[Category("Emulator")]
public abstract class ConformanceFixture(ClusterTarget target)
{
    protected ClusterTarget Target => target;

    internal ClusterSession Cluster { get; private set; } = null!;

    [OneTimeSetUp]
    public void RequireTarget()
    {
        if (target.Unavailable is { } reason)
        {
            Assert.Ignore(reason);
        }
    }

    [SetUp]
    public async Task OpenSessionAsync()
    {
        EmulatorOnlyAttribute.SkipUnlessSupported(target);
        Cluster = await target.OpenSessionAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task CloseSessionAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
            Cluster = null!;
        }
    }

    /// <summary>Skips the rest of the test, with the reason, on a cluster without a garbage collector.</summary>
    protected async Task RequireGarbageCollectorAsync()
    {
        if ((await target.ControllersAsync(CancellationToken.None)).NoGarbageCollector is { } reason)
        {
            Assert.Ignore(reason);
        }
    }
}
