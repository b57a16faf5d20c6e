namespace Operator.IntegrationTests.Packaging;

public sealed class KustomizeManifestTests
{
    [Test]
    public async Task DeployRendersTheOperatorAndNothingElse()
    {
        var manifests = await ManifestRenderer.KustomizeAsync("deploy");
        Assert.That(manifests.Documents.Select(d => d.ToString()), Is.EquivalentTo(new[]
        {
            "Namespace celery-operator-system",
            "CustomResourceDefinition celeries.celeryproject.org",
            "ServiceAccount celery-operator-system/celery-operator",
            "ClusterRole celery-operator",
            "ClusterRoleBinding celery-operator",
            "ClusterRole celery-operator-metrics-reader",
            "Role celery-operator-system/celery-operator-leader-election",
            "RoleBinding celery-operator-system/celery-operator-leader-election",
            "Deployment celery-operator-system/celery-operator",
            "Service celery-operator-system/celery-operator-metrics",
            "PodDisruptionBudget celery-operator-system/celery-operator",
            "NetworkPolicy celery-operator-system/celery-operator",
        }), "samples are applied separately, never by the kustomization");
    }

    [Test]
    public async Task OnlyTheMetricsPortIsOpenToTheNetwork()
    {
        var manifests = await ManifestRenderer.KustomizeAsync("deploy");
        OperatorDeploymentExpectations.AssertNetworkPolicyAdmitsOnlyMetrics(manifests.Of<V1NetworkPolicy>().Single(), manifests.Of<V1Deployment>().Single(), manifests.Of<V1Service>().Single());
    }

    [Test]
    public async Task TheDeploymentRunsTwoReplicasWithLeaderElection()
    {
        var manifests = await ManifestRenderer.KustomizeAsync("deploy");
        var deployment = manifests.Of<V1Deployment>().Single();
        Assert.That(deployment.Spec.Replicas, Is.EqualTo(2));
        OperatorDeploymentExpectations.AssertWellFormed(deployment);
        OperatorDeploymentExpectations.AssertMetricsServiceSelects(manifests.Of<V1Service>().Single(), deployment);
        Assert.That(deployment.Spec.Template.Spec.ServiceAccountName, Is.EqualTo(manifests.Of<V1ServiceAccount>().Single().Metadata.Name));
    }

    [Test]
    public async Task TheNamespaceEnforcesTheRestrictedProfile()
    {
        var ns = (await ManifestRenderer.KustomizeAsync("deploy")).Of<V1Namespace>().Single();
        Assert.That(ns.Metadata.Labels["pod-security.kubernetes.io/enforce"], Is.EqualTo("restricted"));
    }

    [Test]
    public async Task TheCrdIsTheGeneratedOne()
    {
        var rendered = (await ManifestRenderer.KustomizeAsync("deploy")).Single("CustomResourceDefinition", "celeries.celeryproject.org");
        var generated = await File.ReadAllTextAsync(RepositoryRoot.File("deploy/crds/celeryproject.org_celeries.yaml"));
        Assert.That(YamlCanonicalForm.Of(rendered.Yaml, "spec"), Is.EqualTo(YamlCanonicalForm.Of(generated, "spec")));
    }

    [Test]
    public async Task MonitoringRendersAlertsServiceMonitorAndDashboard()
    {
        var manifests = await ManifestRenderer.KustomizeAsync("deploy/monitoring");
        Assert.That(manifests.Kinds, Is.EquivalentTo(new[] { "PrometheusRule", "ServiceMonitor", "ConfigMap" }));
        var dashboard = manifests.Of<V1ConfigMap>().Single();
        Assert.That(dashboard.Data["celery-operator.json"], Is.EqualTo(await File.ReadAllTextAsync(RepositoryRoot.File("deploy/monitoring/grafana-dashboard.json"))));
    }

    [Test]
    public async Task TheKubePrometheusStackOverlayLabelsWhatItsPrometheusSelects()
    {
        var manifests = await ManifestRenderer.KustomizeAsync("deploy/monitoring-kube-prometheus-stack");
        Assert.That(manifests.Kinds, Is.EquivalentTo(new[] { "PrometheusRule", "ServiceMonitor", "ConfigMap" }));
        foreach (var kind in new[] { "PrometheusRule", "ServiceMonitor" })
        {
            var labels = manifests.Single(kind, "celery-operator").Labels;
            Assert.That(labels["release"], Is.EqualTo("kube-prometheus-stack"), kind);
            Assert.That(labels["app.kubernetes.io/name"], Is.EqualTo("celery-operator"), $"{kind} keeps its own labels");
        }
    }
}
