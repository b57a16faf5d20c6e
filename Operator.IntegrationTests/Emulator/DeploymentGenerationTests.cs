// kube-apiserver's Deployment strategy: metadata.generation grows when the spec or the annotations change (not
// labels), and a write to /status keeps the annotations it carries but never changes spec, labels or generation.

namespace Operator.IntegrationTests.Emulator;

public sealed class DeploymentGenerationTests(ClusterTarget target) : ConformanceFixture(target)
{
    [Test]
    public async Task AnnotationsBumpGenerationLabelsDoNot()
    {
        var deployments = Cluster.Client.AppsV1;
        var created = await deployments.CreateNamespacedDeploymentAsync(Deployments.Make("web", 0), Cluster.Namespace);
        Assert.That(created.Metadata.Generation, Is.EqualTo(1));

        var labelled = await deployments.PatchNamespacedDeploymentAsync(Merge("""{"metadata":{"labels":{"tier":"front"}}}"""), "web", Cluster.Namespace);
        Assert.That(labelled.Metadata.Generation, Is.EqualTo(1), "a label change is not a new generation");

        var annotated = await deployments.PatchNamespacedDeploymentAsync(Merge("""{"metadata":{"annotations":{"owner":"team-a"}}}"""), "web", Cluster.Namespace);
        Assert.That(annotated.Metadata.Generation, Is.EqualTo(2), "an annotation change is a new generation of a Deployment");

        var viaStatus = await deployments.PatchNamespacedDeploymentStatusAsync(
            Merge("""{"metadata":{"annotations":{"owner":"team-a","recorded":"yes"},"labels":{"tier":"back"}}}"""), "web", Cluster.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(viaStatus.Metadata.Generation, Is.EqualTo(2), "/status never bumps the generation");
            Assert.That(viaStatus.Metadata.Annotations, Does.ContainKey("recorded"), "/status keeps the annotations it carries");
            Assert.That(viaStatus.Metadata.Labels["tier"], Is.EqualTo("front"), "/status resets labels");
        });
    }

    [Test]
    public async Task AConfigMapsAnnotationsDoNotBumpItsGeneration()
    {
        await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "plain" } }, Cluster.Namespace);
        var annotated = await Cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(Merge("""{"metadata":{"annotations":{"a":"b"}}}"""), "plain", Cluster.Namespace);
        Assert.That(annotated.Metadata.Generation ?? 0, Is.LessThanOrEqualTo(1));
    }

    private static V1Patch Merge(string json) => new(json, V1Patch.PatchType.MergePatch);
}
