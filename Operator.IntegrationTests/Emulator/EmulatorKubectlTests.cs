// kubectl against what only the emulator provides: the simulated Deployment controller and the audit log.
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[Category("Emulator")]
[RequiresKubectl]
public sealed class EmulatorKubectlTests() : EmulatorSessionTest(new EmulatorOptions { DeploymentControllerDelay = TimeSpan.FromMilliseconds(300) })
{
    [Test]
    public async Task WaitForConditionAndDescribe()
    {
        (await Session.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 2), "create", "-f", "-")).EnsureSuccess();
        (await Session.Kubectl.RunAsync("wait", "--for=condition=Available", "deployment/web", "--timeout=20s")).EnsureSuccess();
        var table = (await Session.Kubectl.RunAsync("get", "deployment", "web")).EnsureSuccess().Output;
        Assert.That(table, Does.Contain("2/2"));
        var described = (await Session.Kubectl.RunAsync("describe", "deployment", "web")).EnsureSuccess().Output;
        Assert.That(described, Does.Contain("Replicas:").And.Contain("2 available").And.Contain("MinimumReplicasAvailable"));
    }

    [Test]
    public async Task AuditNamesKubectlsUserAndOutcome()
    {
        (await Session.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 1), "create", "-f", "-")).EnsureSuccess();
        (await Session.Kubectl.RunAsync("delete", "deployment", "web")).EnsureSuccess();
        var audit = Session.Emulator.Audit.Query(user: "tester", verb: "delete");
        Assert.That(audit.Select(entry => $"{entry.Name}:{entry.StatusCode}").ToList(), Is.EqualTo(new[] { "web:200" }), string.Join("\n", Session.Emulator.Audit.Entries));
    }
}
