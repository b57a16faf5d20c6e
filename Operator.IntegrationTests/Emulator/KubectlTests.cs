using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Emulator;

[RequiresKubectl]
public sealed class KubectlTests(ClusterTarget target) : ConformanceFixture(target)
{
    [Test]
    public async Task CreateGetAndDeleteWithLabelSelectors()
    {
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 2), "create", "-f", "-")).EnsureSuccess();
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Deployment("worker", 1), "create", "-f", "-")).EnsureSuccess();
        var names = (await Cluster.Kubectl.RunAsync("get", "deployments", "-l", "app=web", "-o", "name")).EnsureSuccess().Output;
        Assert.That(names.Trim(), Is.EqualTo("deployment.apps/web"));
        var json = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "deploy", "web", "-o", "json")).EnsureSuccess().Output)!;
        Assert.That(json["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(2));
        var table = (await Cluster.Kubectl.RunAsync("get", "deployments")).EnsureSuccess().Output;
        Assert.That(table, Does.StartWith("NAME").And.Contain("READY").And.Contain("UP-TO-DATE").And.Contain("AVAILABLE").And.Contain("AGE"));
        var wide = (await Cluster.Kubectl.RunAsync("get", "deployments", "-o", "wide")).EnsureSuccess().Output;
        Assert.That(wide, Does.Contain("nginx:1.27"));
        (await Cluster.Kubectl.RunAsync("delete", "deployment", "web")).EnsureSuccess();
        var remaining = (await Cluster.Kubectl.RunAsync("get", "deployments", "-o", "name")).EnsureSuccess().Output;
        Assert.That(remaining.Trim(), Is.EqualTo("deployment.apps/worker"));
    }

    [Test]
    public async Task CustomResourcesPrintTheirColumns()
    {
        await Cluster.InstallWidgetsAsync();
        var crd = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "crd", "widgets.example.com", "-o", "json")).EnsureSuccess().Output)!;
        var conditions = crd["status"]!["conditions"]!.AsArray().Select(c => (c!["type"]!.GetValue<string>(), c["status"]!.GetValue<string>()));
        Assert.That(conditions, Is.EquivalentTo(new[] { ("NamesAccepted", "True"), ("Established", "True") }));
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Widget("w1", 3), "create", "-f", "-")).EnsureSuccess();
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Widget("w2", 5, "b"), "create", "-f", "-")).EnsureSuccess();
        var w1 = Widgets.Parse(await Cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(Widgets.Group, Widgets.Version, Cluster.Namespace, Widgets.Plural, "w1"));
        w1["status"] = JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"True"}]}""");
        await Cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(w1, Widgets.Group, Widgets.Version, Cluster.Namespace, Widgets.Plural, "w1");
        var table = (await Cluster.Kubectl.RunAsync("get", "wd")).EnsureSuccess().Output;
        var lines = table.Trim().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "NAME", "READY", "SIZE", "AGE" }));
            Assert.That(lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3], Is.EqualTo(new[] { "w1", "True", "3" }));
            Assert.That(lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], Is.EqualTo("w2"));
        });
        var selected = (await Cluster.Kubectl.RunAsync("get", "widgets", "-l", "tier=b", "-o", "name")).EnsureSuccess().Output;
        Assert.That(selected.Trim(), Is.EqualTo("widget.example.com/w2"));
        (await Cluster.Kubectl.RunAsync("wait", "--for=condition=Ready", "widget/w1", "--timeout=10s")).EnsureSuccess();
    }

    // kubectl get --watch lists, prints, then watches from the list's resourceVersion: once the existing object is
    // printed, anything created afterwards must appear.
    [Test]
    public async Task WatchPrintsChanges()
    {
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Secret("before"), "create", "-f", "-")).EnsureSuccess();
        await using var watching = Cluster.Kubectl.Start("get", "secrets", "--watch");
        await watching.WaitForLineAsync(new Regex("^before "), TimeSpan.FromSeconds(30), CancellationToken.None);
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Secret("seen"), "create", "-f", "-")).EnsureSuccess();
        var printed = await watching.WaitForLineAsync(new Regex(@"^seen\s+(?<type>\S+)"), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.That(printed.Groups["type"].Value, Is.EqualTo("Opaque"));
    }
}
