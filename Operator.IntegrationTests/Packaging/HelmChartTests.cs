namespace Operator.IntegrationTests.Packaging;

public sealed class HelmChartTests
{
    private const string CiValues = "deploy/helm/celery-operator/ci";

    private static IEnumerable<string> OfflineCiValuesFiles() =>
        Directory.EnumerateFiles(RepositoryRoot.File(CiValues), "*.yaml")
            .Where(f => !File.ReadAllText(f).Contains("keda:\n  enabled: true", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f))
            .Order(StringComparer.Ordinal);

    [Test]
    public async Task ANetworkPolicyOnRequestAdmitsOnlyTheMetricsPortFromTheGivenPeers()
    {
        var manifests = await ManifestRenderer.HelmManifestsAsync(CiValues + "/monitoring-values.yaml");
        var policy = manifests.Of<V1NetworkPolicy>().Single();
        OperatorDeploymentExpectations.AssertNetworkPolicyAdmitsOnlyMetrics(policy, manifests.Of<V1Deployment>().Single(), manifests.Of<V1Service>().Single());
        Assert.That(policy.Spec.Ingress.Single().FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"], Is.EqualTo("monitoring"));
        Assert.That((await ManifestRenderer.HelmManifestsAsync()).Kinds, Does.Not.Contain("NetworkPolicy"), "off by default in the chart");
    }

    [Test]
    public async Task DefaultsInstallTheOperatorClusterWide()
    {
        var manifests = await ManifestRenderer.HelmManifestsAsync();
        Assert.That(manifests.Documents.Select(d => d.ToString()), Is.EquivalentTo(new[]
        {
            "CustomResourceDefinition celeries.celeryproject.org",
            "ServiceAccount celery-operator/celery-operator",
            "ClusterRole celery-operator",
            "ClusterRoleBinding celery-operator",
            "ClusterRole celery-operator-metrics-reader",
            "Role celery-operator/celery-operator-leader-election",
            "RoleBinding celery-operator/celery-operator-leader-election",
            "Deployment celery-operator/celery-operator",
            "Service celery-operator/celery-operator-metrics",
            "PodDisruptionBudget celery-operator/celery-operator",
        }));
        var deployment = manifests.Of<V1Deployment>().Single();
        Assert.That(deployment.Spec.Replicas, Is.EqualTo(2));
        Assert.That(deployment.Spec.Template.Spec.Containers[0].Image, Is.EqualTo("ghcr.io/celery-operator/celery-operator:0.1.0"));
        OperatorDeploymentExpectations.AssertMetricsServiceSelects(manifests.Of<V1Service>().Single(), deployment);
    }

    [TestCaseSource(nameof(OfflineCiValuesFiles))]
    public async Task EveryScenarioRendersAWellFormedDeployment(string valuesFile)
    {
        var manifests = await ManifestRenderer.HelmManifestsAsync(valuesFile);
        OperatorDeploymentExpectations.AssertWellFormed(manifests.Of<V1Deployment>().Single());
    }

    [Test]
    public async Task WatchedNamespacesReachTheOperatorAsSettings()
    {
        var deployment = (await ManifestRenderer.HelmManifestsAsync($"{CiValues}/namespaced-values.yaml")).Of<V1Deployment>().Single();
        var env = deployment.Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(env["OPERATOR__NAMESPACES__0"], Is.EqualTo("team-a"));
            Assert.That(env["OPERATOR__NAMESPACES__1"], Is.EqualTo("team-b"));
            Assert.That(env["OPERATOR__MAXCONCURRENTRECONCILES"], Is.EqualTo("8"));
        });
    }

    [Test]
    public async Task ASingleReplicaRunsWithoutElectionOrLeaseRole()
    {
        var manifests = await ManifestRenderer.HelmManifestsAsync($"{CiValues}/single-replica-values.yaml");
        var deployment = manifests.Of<V1Deployment>().Single();
        var env = deployment.Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Spec.Replicas, Is.EqualTo(1));
            Assert.That(env["OPERATOR__LEADERELECTION__ENABLED"], Is.EqualTo("false"));
            Assert.That(env["OPERATOR__LOGFORMAT"], Is.EqualTo("text"));
            Assert.That(deployment.Spec.Template.Spec.ServiceAccountName, Is.EqualTo("platform-celery-operator"));
            Assert.That(manifests.Kinds, Does.Not.Contain("Role").And.Not.Contain("ServiceAccount").And.Not.Contain("CustomResourceDefinition").And.Not.Contain("PodDisruptionBudget"));
        });
    }

    [Test]
    public async Task SeveralReplicasWithoutLeaderElectionAreRefused()
    {
        var result = await ManifestRenderer.HelmTemplateAsync([], "replicaCount=3", "leaderElection.enabled=false");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error, Does.Contain("needs leaderElection.enabled=true"));
    }

    [Test]
    public async Task AnUnknownLogFormatIsRefused()
    {
        var result = await ManifestRenderer.HelmTemplateAsync([], "logFormat=xml");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error, Does.Contain("logFormat must be json or text"));
    }

    [Test]
    public async Task MonitoringShipsTheSameAlertsAndDashboardAsDeployMonitoring()
    {
        var chart = await ManifestRenderer.HelmManifestsAsync($"{CiValues}/monitoring-values.yaml");
        var shipped = await ManifestRenderer.KustomizeAsync("deploy/monitoring");
        Assert.Multiple(() =>
        {
            Assert.That(chart.Kinds, Does.Contain("ServiceMonitor").And.Contain("PrometheusRule"));
            Assert.That(YamlCanonicalForm.Of(chart.Single("PrometheusRule", "celery-operator").Yaml, "spec"),
                Is.EqualTo(YamlCanonicalForm.Of(shipped.Single("PrometheusRule", "celery-operator").Yaml, "spec")));
            Assert.That(chart.Of<V1ConfigMap>().Single().Data["celery-operator.json"],
                Is.EqualTo(shipped.Of<V1ConfigMap>().Single().Data["celery-operator.json"]));
            Assert.That(chart.Of<V1Deployment>().Single().Spec.Template.Spec.Containers[0].Image, Does.Contain("@sha256:"));
            Assert.That(chart.Single("ServiceMonitor", "celery-operator").Labels["release"], Is.EqualTo("prometheus"), "labels from values");
            Assert.That(chart.Single("PrometheusRule", "celery-operator").Labels["release"], Is.EqualTo("prometheus"), "labels from values");
        });
    }

    [Test]
    public async Task TheCrdIsTheGeneratedOneAndSurvivesUninstall()
    {
        var manifests = await ManifestRenderer.HelmManifestsAsync();
        var crd = manifests.Of<V1CustomResourceDefinition>().Single();
        var generated = await File.ReadAllTextAsync(RepositoryRoot.File("deploy/crds/celeryproject.org_celeries.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(YamlCanonicalForm.Of(manifests.Single("CustomResourceDefinition", crd.Metadata.Name).Yaml, "spec"), Is.EqualTo(YamlCanonicalForm.Of(generated, "spec")));
            Assert.That(crd.Metadata.Annotations["helm.sh/resource-policy"], Is.EqualTo("keep"));
        });
    }

    [Test]
    public void KedaIsAConditionalDependencyOffByDefault()
    {
        var chart = File.ReadAllText(RepositoryRoot.File("deploy/helm/celery-operator/Chart.yaml"));
        var values = File.ReadAllText(RepositoryRoot.File("deploy/helm/celery-operator/values.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(chart, Does.Contain("- name: keda").And.Contain("repository: https://kedacore.github.io/charts").And.Contain("condition: keda.enabled"));
            Assert.That(values, Does.Contain("keda:\n  enabled: false"));
            Assert.That(ManifestRenderer.WithoutDependencies(chart), Does.Not.Contain("dependencies:").And.Not.Contain("kedacore").And.Contain("appVersion:"));
        });
    }
}
