// Run-wide clean-up of the cluster targets, after every fixture of every namespace has run: the Celery CRD is
// removed where this run installed it, then the shared emulator process and K3s container (if started) stop.

namespace Operator.IntegrationTests;

[SetUpFixture]
public sealed class ClusterTargetsTeardown
{
    [OneTimeTearDown]
    public async Task StopClustersAsync()
    {
        await KubeconfigTarget.RemoveInstalledCrdsAsync();
        await EmulatorProcess.StopSharedAsync();
        await K3sCluster.StopSharedAsync();
    }
}
