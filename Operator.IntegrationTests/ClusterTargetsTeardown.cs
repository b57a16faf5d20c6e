// Run-wide set-up and clean-up. Before any fixture: enough thread-pool threads that the fixtures starting together
// (some wait synchronously on a child process, such as `celery --help`) do not starve the callbacks that read other
// processes' output, which once made the shared emulator process's first line arrive after its start-up timeout.
// After every fixture of every namespace has run: the Celery CRD is removed where this run installed it, then the
// shared emulator process and K3s container (if started) stop.

namespace Operator.IntegrationTests;

[SetUpFixture]
public sealed class ClusterTargetsTeardown
{
    [OneTimeSetUp]
    public void ReserveThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), completionPorts);
    }

    [OneTimeTearDown]
    public async Task StopClustersAsync()
    {
        await KubeconfigTarget.RemoveInstalledCrdsAsync();
        await EmulatorProcess.StopSharedAsync();
        await K3sCluster.StopSharedAsync();
    }
}
