// These tests drive the patch and schema engine through the API server; on the emulator they need it built in.

namespace Operator.IntegrationTests.Emulator;

[Category(PatchEngine.Category)]
public sealed class PatchAndApplyTests(ClusterTarget target) : ConformanceFixture(target)
{
    private static V1Patch Apply(string json) => new(json, V1Patch.PatchType.ApplyPatch);

    [Test]
    public async Task MergeJsonAndStrategicPatches()
    {
        await Cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 1), Cluster.Namespace);
        var merged = await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "web", Cluster.Namespace);
        Assert.That(merged.Spec.Replicas, Is.EqualTo(4));
        var json = await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""[{"op":"replace","path":"/spec/replicas","value":2}]""", V1Patch.PatchType.JsonPatch), "web", Cluster.Namespace);
        Assert.That(json.Spec.Replicas, Is.EqualTo(2));
        var strategic = await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "web", Cluster.Namespace);
        Assert.That(strategic.Spec.Template.Spec.Containers.Select(c => c.Name), Is.EquivalentTo(new[] { "main", "sidecar" }));
        Assert.That(strategic.Metadata.Generation, Is.EqualTo(4));
    }

    [Test]
    public async Task StrategicMergePatchPlacesNewListItemsAsKubeApiserverDoes()
    {
        await Cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 1), Cluster.Namespace);
        static V1Patch Containers(string items) => new("""{"spec":{"template":{"spec":{"containers":[""" + items + "]}}}}", V1Patch.PatchType.StrategicMergePatch);
        var added = await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(Containers("""{"name":"sidecar","image":"busybox"}"""), "web", Cluster.Namespace);
        Assert.That(added.Spec.Template.Spec.Containers.Select(c => c.Name), Is.EqualTo(new[] { "sidecar", "main" }), "an item only the patch has goes first");
        var interleaved = await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            Containers("""{"name":"sidecar","image":"busybox:2"},{"name":"extra","image":"busybox"}"""), "web", Cluster.Namespace);
        Assert.That(interleaved.Spec.Template.Spec.Containers.Select(c => c.Name), Is.EqualTo(new[] { "sidecar", "extra", "main" }), "patch order first, server-only items after what precedes them");
    }

    [Test]
    public async Task DeploymentDefaultsReplicasToOne()
    {
        var deployment = Deployments.Make("web", 1);
        deployment.Spec.Replicas = null;
        var created = await Cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Cluster.Namespace);
        Assert.That(created.Spec.Replicas, Is.EqualTo(1));
    }

    [Test]
    public async Task ApplyConflictsNameTheOtherManagerAndForceTakesOwnership()
    {
        const string Manifest = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared"},"data":{"key":"{0}"}}""";
        await Cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(Manifest.Replace("{0}", "one", StringComparison.Ordinal)), "shared", Cluster.Namespace, fieldManager: "alice");
        var conflict = Assert.ThrowsAsync<HttpOperationException>(() =>
            Cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(Manifest.Replace("{0}", "two", StringComparison.Ordinal)), "shared", Cluster.Namespace, fieldManager: "bob"));
        Assert.That(conflict!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var status = JsonNode.Parse(conflict.Response.Content)!;
        Assert.That(status["details"]!["causes"]![0]!["message"]!.GetValue<string>(), Does.Contain("alice"));
        var forced = await Cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Apply(Manifest.Replace("{0}", "two", StringComparison.Ordinal)), "shared", Cluster.Namespace, fieldManager: "bob", force: true);
        Assert.That(forced.Data["key"], Is.EqualTo("two"));
        Assert.That(forced.Metadata.ManagedFields.Select(entry => entry.Manager), Does.Contain("bob"));
    }

    [Test]
    public async Task CustomResourceSchemaIsEnforced()
    {
        await Cluster.InstallWidgetsAsync();
        var invalid = await Cluster.Kubectl.RunWithInputAsync(Manifests.Widget("w1", 0), "apply", "--server-side", "-f", "-");
        Assert.That(invalid.ExitCode, Is.Not.Zero);
        Assert.That(invalid.Error, Does.Contain("spec.size"));
        // kube-apiserver types an applied configuration before merging it, so an undeclared field fails the apply
        // (500, whatever fieldValidation says) instead of being pruned as a create or update would prune it.
        var undeclared = await Cluster.Kubectl.RunWithInputAsync(
            Manifests.Widget("w1", 2).Replace("spec: {size: 2}", "spec: {size: 2, unknown: dropped}", StringComparison.Ordinal), "apply", "--server-side", "--validate=false", "-f", "-");
        Assert.That(undeclared.ExitCode, Is.Not.Zero);
        Assert.That(undeclared.Error, Does.Contain($"failed to create typed patch object ({Cluster.Namespace}/w1; example.com/v1, Kind=Widget): .spec.unknown: field not declared in schema"));
        var missing = await Cluster.Kubectl.RunAsync("get", "widget", "w1");
        Assert.That(missing.ExitCode, Is.Not.Zero, "the failed apply created nothing");
    }

    [Test]
    public async Task KubectlPatchAndScale()
    {
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 1), "apply", "--server-side", "-f", "-")).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("scale", "deployment/web", "--replicas=3")).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("patch", "deployment", "web", "--type", "merge", "-p", """{"metadata":{"labels":{"patched":"yes"}}}""")).EnsureSuccess();
        var json = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "deployment", "web", "-o", "json")).EnsureSuccess().Output)!;
        Assert.That(json["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(json["metadata"]!["labels"]!["patched"]!.GetValue<string>(), Is.EqualTo("yes"));
    }
}
