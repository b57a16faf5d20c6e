using Operator.IntegrationTests.Emulator.Targets;

namespace Operator.IntegrationTests.Emulator;

/// <summary>Stops the shared K3s container (if a fixture started one) after every fixture of this namespace has run.</summary>
[SetUpFixture]
public sealed class ClusterTargetsTeardown
{
    [OneTimeTearDown]
    public Task StopK3sAsync() => K3sCluster.StopSharedAsync();
}
