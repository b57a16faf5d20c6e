using System.Text.Json.Nodes;
using k8s;
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
[Category("Kubectl")]
public sealed class KubectlTests
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
    public async Task CreateGetAndDeleteWithLabelSelectors()
    {
        (await session.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 2), "create", "-f", "-")).EnsureSuccess();
        (await session.Kubectl.RunWithInputAsync(Manifests.Deployment("worker", 1), "create", "-f", "-")).EnsureSuccess();
        var names = (await session.Kubectl.RunAsync("get", "deployments", "-l", "app=web", "-o", "name")).EnsureSuccess().Output;
        Assert.That(names.Trim(), Is.EqualTo("deployment.apps/web"));
        var json = JsonNode.Parse((await session.Kubectl.RunAsync("get", "deploy", "web", "-o", "json")).EnsureSuccess().Output)!;
        Assert.That(json["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(2));
        var table = (await session.Kubectl.RunAsync("get", "deployments")).EnsureSuccess().Output;
        Assert.That(table, Does.StartWith("NAME").And.Contain("READY").And.Contain("UP-TO-DATE").And.Contain("AVAILABLE").And.Contain("AGE"));
        var wide = (await session.Kubectl.RunAsync("get", "deployments", "-o", "wide")).EnsureSuccess().Output;
        Assert.That(wide, Does.Contain("nginx:1.27"));
        (await session.Kubectl.RunAsync("delete", "deployment", "web")).EnsureSuccess();
        var remaining = (await session.Kubectl.RunAsync("get", "deployments", "-o", "name")).EnsureSuccess().Output;
        Assert.That(remaining.Trim(), Is.EqualTo("deployment.apps/worker"));
        var audit = session.Emulator.Audit.Query(user: "tester", verb: "delete");
        Assert.That(audit.Select(entry => $"{entry.Name}:{entry.StatusCode}").ToList(), Is.EqualTo(new[] { "web:200" }), string.Join("\n", session.Emulator.Audit.Entries));
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
    public async Task CustomResourcesPrintTheirColumns()
    {
        (await session.Kubectl.RunWithInputAsync(Manifests.WidgetCrd, "create", "-f", "-")).EnsureSuccess();
        var crd = JsonNode.Parse((await session.Kubectl.RunAsync("get", "crd", "widgets.example.com", "-o", "json")).EnsureSuccess().Output)!;
        var conditions = crd["status"]!["conditions"]!.AsArray().Select(c => (c!["type"]!.GetValue<string>(), c["status"]!.GetValue<string>()));
        Assert.That(conditions, Is.EquivalentTo(new[] { ("NamesAccepted", "True"), ("Established", "True") }));
        (await session.Kubectl.RunWithInputAsync(Manifests.Widget("w1", 3), "create", "-f", "-")).EnsureSuccess();
        (await session.Kubectl.RunWithInputAsync(Manifests.Widget("w2", 5, "b"), "create", "-f", "-")).EnsureSuccess();
        var status = JsonNode.Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1","namespace":"default"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")!;
        await session.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(await WithVersionAsync(status), "example.com", "v1", "default", "widgets", "w1");
        var table = (await session.Kubectl.RunAsync("get", "wd")).EnsureSuccess().Output;
        var lines = table.Trim().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "NAME", "READY", "SIZE", "AGE" }));
            Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3], Is.EqualTo(new[] { "w1", "True", "3" }));
            Assert.That(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], Is.EqualTo("w2"));
        });
        var selected = (await session.Kubectl.RunAsync("get", "widgets", "-l", "tier=b", "-o", "name")).EnsureSuccess().Output;
        Assert.That(selected.Trim(), Is.EqualTo("widget.example.com/w2"));
        (await session.Kubectl.RunAsync("wait", "--for=condition=Ready", "widget/w1", "--timeout=10s")).EnsureSuccess();
    }

    [Test]
    public async Task WatchPrintsChanges()
    {
        var watching = session.Kubectl.RunAsync("get", "configmaps", "--watch", "--request-timeout=3s");
        await Eventually.GetAsync(() => Task.FromResult(session.Emulator.Audit.Query(verb: "watch", resource: "configmaps").Count), count => count > 0,
            because: "kubectl started watching");
        await session.Kubectl.RunWithInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: seen}\ndata: {a: b}\n", "create", "-f", "-");
        var result = await watching;
        Assert.That(result.Output, Does.Contain("seen"));
    }

    private async Task<object> WithVersionAsync(JsonNode status)
    {
        var current = (JsonNode)JsonNode.Parse(((System.Text.Json.JsonElement)await session.Client.CustomObjects.GetNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", "w1")).GetRawText())!;
        current["status"] = status["status"]!.DeepClone();
        return current;
    }
}
