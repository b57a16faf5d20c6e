// Base of the conformance suite's fixtures: each runs once per cluster target (fixture parameter), and each test
// gets a fresh ClusterSession. A target that cannot run here is skipped with its reason.
using Operator.IntegrationTests.Emulator.Targets;

namespace Operator.IntegrationTests.Emulator;

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
    public async Task OpenSessionAsync() => Cluster = await target.OpenSessionAsync(CancellationToken.None);

    [TearDown]
    public async Task CloseSessionAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
