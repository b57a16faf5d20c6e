// kubectl against what only the emulator provides: the simulated Deployment controller and the audit log.
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
[Category("Kubectl")]
public sealed class EmulatorKubectlTests
{
    private EmulatorSession session = null!;

    [SetUp]
    public async Task StartAsync()
    {
        if (!KubectlRunner.Installed)
        {
            Assert.Ignore($"kubectl is not installed at {KubectlRunner.Executable}");
        }

        session = await EmulatorSession.StartAsync(new EmulatorOptions { DeploymentControllerDelay = TimeSpan.FromMilliseconds(300) });
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }

    [Test]
    public async Task WaitForConditionAndDescribe()
    {
        (await session.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 2), "create", "-f", "-")).EnsureSuccess();
        (await session.Kubectl.RunAsync("wait", "--for=condition=Available", "deployment/web", "--timeout=20s")).EnsureSuccess();
        var table = (await session.Kubectl.RunAsync("get", "deployment", "web")).EnsureSuccess().Output;
        Assert.That(table, Does.Contain("2/2"));
        var described = (await session.Kubectl.RunAsync("describe", "deployment", "web")).EnsureSuccess().Output;
        Assert.That(described, Does.Contain("Replicas:").And.Contain("2 available").And.Contain("MinimumReplicasAvailable"));
    }

    [Test]
    public async Task AuditNamesKubectlsUserAndOutcome()
    {
        (await session.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 1), "create", "-f", "-")).EnsureSuccess();
        (await session.Kubectl.RunAsync("delete", "deployment", "web")).EnsureSuccess();
        var audit = session.Emulator.Audit.Query(user: "tester", verb: "delete");
        Assert.That(audit.Select(entry => $"{entry.Name}:{entry.StatusCode}").ToList(), Is.EqualTo(new[] { "web:200" }), string.Join("\n", session.Emulator.Audit.Entries));
    }
}
