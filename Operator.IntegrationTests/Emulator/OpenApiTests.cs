// `kubectl explain` reads the server's OpenAPI v3 documents: custom resources' schemas come from their CRDs (with
// descriptions), built-in kinds' from the server's own schemas. /openapi/v2 carries the same definitions.
using Operator.Celery.Crd;

namespace Operator.IntegrationTests.Emulator;

public sealed class OpenApiTests(ClusterTarget target) : ConformanceFixture(target)
{
    [Test]
    public async Task KubectlExplainShowsTheCrdSchema()
    {
        (await Cluster.Kubectl.RunAsync("apply", "--server-side", "-f", Path.Combine(RepositoryRoot.Path, CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("wait", "--for=condition=Established", "crd/celeries.celeryproject.org", $"--timeout={(int)Target.SettleTimeout.TotalSeconds}s")).EnsureSuccess();
        var workers = (await Cluster.Kubectl.RunAsync("explain", "celery.spec.workers")).EnsureSuccess().Output;
        var autoscaling = (await Cluster.Kubectl.RunAsync("explain", "celery.spec.workers.autoscaling.minReplicas")).EnsureSuccess().Output;
        Assert.Multiple(() =>
        {
            Assert.That(workers, Does.Contain("KIND:").And.Contain("Celery"));
            Assert.That(workers, Does.Contain("GROUP:").And.Contain("celeryproject.org"));
            Assert.That(workers, Does.Match(@"FIELD:\s+workers\s+<\[\]Object>"));
            Assert.That(workers, Does.Match(@"autoscaling\s+<Object>"));
            Assert.That(workers, Does.Match(@"name\s+<string>\s+-required-"));
            Assert.That(autoscaling, Does.Match(@"FIELD:\s+minReplicas\s+<integer>"));
        });
    }

    [Test]
    public async Task KubectlExplainShowsBuiltInKinds()
    {
        var data = (await Cluster.Kubectl.RunAsync("explain", "configmap.data")).EnsureSuccess().Output;
        var containers = (await Cluster.Kubectl.RunAsync("explain", "deployment.spec.template.spec.containers")).EnsureSuccess().Output;
        Assert.Multiple(() =>
        {
            Assert.That(data, Does.Match(@"FIELD:\s+data\s+<map\[string\]string>"));
            Assert.That(containers, Does.Match(@"image\s+<string>"));
        });
    }

    [Test]
    public async Task OpenApiV2CarriesTheDefinitions()
    {
        var document = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "--raw", "/openapi/v2")).EnsureSuccess().Output)!;
        var configMap = document["definitions"]!["io.k8s.api.core.v1.ConfigMap"]!;
        Assert.Multiple(() =>
        {
            Assert.That(document["swagger"]!.GetValue<string>(), Is.EqualTo("2.0"));
            Assert.That(configMap["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>(), Is.EqualTo("ConfigMap"));
            Assert.That(configMap["properties"]!["data"]!["additionalProperties"]!["type"]!.GetValue<string>(), Is.EqualTo("string"));
        });
    }

    [Test]
    public async Task DiscoveryCarriesStorageVersionHashes()
    {
        var core = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "--raw", "/api/v1")).EnsureSuccess().Output)!;
        var apps = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "--raw", "/apis/apps/v1")).EnsureSuccess().Output)!;
        string? Hash(JsonNode list, string resource) =>
            list["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == resource)!["storageVersionHash"]?.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(Hash(core, "configmaps"), Is.EqualTo("qFsyl6wFWjQ="));
            Assert.That(Hash(apps, "deployments"), Is.EqualTo("8aSe+NMegvE="));
            Assert.That(Hash(core, "services/status"), Is.Null, "subresources have none");
        });
    }
}
