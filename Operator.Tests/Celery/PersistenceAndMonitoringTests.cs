// Beat's schedule claim, Flower's state claim and Flower's ServiceMonitor, as the builders produce them from the
// fleet sample: what object each setting adds, how the pods mount it, which flags point into it, and that nothing
// of it appears when the setting is off.
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.PrometheusOperator;

namespace Operator.Tests.Celery;

public sealed class PersistenceAndMonitoringTests
{
    private static DesiredState Fleet(Func<CelerySpec, CelerySpec> change)
    {
        // The sample keeps beat's and Flower's state and has a ServiceMonitor; each test starts without them.
        var resource = SampleResources.Load("fleet");
        var spec = resource.Spec;
        spec = spec with { Beat = spec.Beat! with { Persistence = null }, Flower = spec.Flower! with { Persistence = null, ServiceMonitor = null } };
        resource.Spec = change(spec);
        return SampleResources.Build("fleet", resource);
    }

    private static CelerySpec WithBeat(CelerySpec spec, Func<BeatSpec, BeatSpec> change) => spec with { Beat = change(spec.Beat!) };

    private static CelerySpec WithFlower(CelerySpec spec, Func<FlowerSpec, FlowerSpec> change) => spec with { Flower = change(spec.Flower ?? new FlowerSpec()) };

    private static V1Deployment Deployment(DesiredState state, string name) => state.Objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name);

    private static IEnumerable<V1PersistentVolumeClaim> Claims(DesiredState state) => state.Objects.OfType<V1PersistentVolumeClaim>();

    [Test]
    public void BeatPersistenceAddsAClaimThatHoldsTheScheduleFile()
    {
        var state = Fleet(spec => WithBeat(spec, beat => beat with { Persistence = new PersistenceSpec { StorageClassName = "standard-rwo", Size = "1Gi" } }));
        var claim = Claims(state).Single();
        var deployment = Deployment(state, "fleet-beat");
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers[0];
        var mount = container.VolumeMounts.Single(m => m.Name == BeatDeploymentBuilder.ScheduleVolume);
        Assert.Multiple(() =>
        {
            Assert.That(claim.Metadata.Name, Is.EqualTo("fleet-beat-schedule"));
            Assert.That(claim.Metadata.Labels[CeleryLabels.Component], Is.EqualTo(CeleryLabels.Components.Beat));
            Assert.That(claim.Spec.StorageClassName, Is.EqualTo("standard-rwo"));
            Assert.That(claim.Spec.AccessModes, Is.EqualTo(new[] { "ReadWriteOnce" }), "the default access mode");
            Assert.That(claim.Spec.Resources.Requests["storage"].ToString(), Is.EqualTo("1Gi"));
            Assert.That(pod.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim?.ClaimName, Is.EqualTo(claim.Metadata.Name), "the schedule volume is the claim");
            Assert.That(pod.Volumes.Where(v => v.EmptyDir is not null && v.Name == mount.Name), Is.Empty, "no emptyDir for the schedule any more");
            Assert.That(container.Args, Does.Contain($"--schedule={mount.MountPath}/celerybeat-schedule"), "the schedule file is on the claim");
            Assert.That(deployment.Spec.Replicas, Is.EqualTo(1));
            Assert.That(deployment.Spec.Strategy.Type, Is.EqualTo("Recreate"), "the old beat lets go of the claim before the new one starts");
        });
    }

    [Test]
    public void ADatabaseSchedulerWithoutPersistenceGetsNoScheduleFileAndWithPersistenceKeepsItOnTheClaim()
    {
        const string scheduler = "django_celery_beat.schedulers:DatabaseScheduler";
        var without = Deployment(Fleet(spec => WithBeat(spec, beat => beat with { Scheduler = scheduler })), "fleet-beat").Spec.Template.Spec.Containers[0].Args;
        var with = Deployment(Fleet(spec => WithBeat(spec, beat => beat with { Scheduler = scheduler, Persistence = new PersistenceSpec { Size = "64Mi" } })), "fleet-beat").Spec.Template.Spec.Containers[0].Args;
        Assert.Multiple(() =>
        {
            Assert.That(without, Does.Contain("--scheduler=" + scheduler));
            Assert.That(without.Where(a => a.StartsWith("--schedule=", StringComparison.Ordinal)), Is.Empty);
            Assert.That(with, Does.Contain("--scheduler=" + scheduler).And.Contain("--schedule=" + CeleryCommandLine.BeatScheduleFile));
        });
    }

    [Test]
    public void FlowerPersistenceAddsAClaimAndPointsFlowersDatabaseIntoIt()
    {
        var state = Fleet(spec => WithFlower(spec, flower => flower with { Persistence = new PersistenceSpec { Size = "2Gi", AccessModes = ["ReadWriteOncePod"] } }));
        var claim = Claims(state).Single();
        var deployment = Deployment(state, "fleet-flower");
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers[0];
        var mount = container.VolumeMounts.Single();
        Assert.Multiple(() =>
        {
            Assert.That(claim.Metadata.Name, Is.EqualTo("fleet-flower-state"));
            Assert.That(claim.Metadata.Labels[CeleryLabels.Component], Is.EqualTo(CeleryLabels.Components.Flower));
            Assert.That(claim.Spec.StorageClassName, Is.Null, "the cluster's default StorageClass");
            Assert.That(claim.Spec.AccessModes, Is.EqualTo(new[] { "ReadWriteOncePod" }));
            Assert.That(pod.Volumes.Single(v => v.Name == mount.Name).PersistentVolumeClaim?.ClaimName, Is.EqualTo(claim.Metadata.Name));
            Assert.That(container.Args, Does.Contain("--persistent=True").And.Contain($"--db={mount.MountPath}/flower.db"));
            Assert.That(deployment.Spec.Strategy.Type, Is.EqualTo("Recreate"), "one Flower at a time writes the database");
            Assert.That(Deployment(state, "fleet-worker-gpu").Spec.Template.Spec.Volumes.Select(v => v.Name), Does.Not.Contain(FlowerSpec.StateVolume), "Flower's claim stays in Flower's pod");
        });
    }

    [Test]
    public void WithoutPersistenceThereIsNoClaimAndFlowerRollsAsBefore()
    {
        var state = Fleet(spec => spec);
        var flower = Deployment(state, "fleet-flower");
        Assert.Multiple(() =>
        {
            Assert.That(Claims(state), Is.Empty);
            Assert.That(flower.Spec.Strategy, Is.Null);
            Assert.That(flower.Spec.Template.Spec.Containers[0].Args.Where(a => a.StartsWith("--persistent", StringComparison.Ordinal) || a.StartsWith("--db", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [TestCase(null, "/metrics")]
    [TestCase("flower", "/flower/metrics")]
    public void TheServiceMonitorSelectsFlowersServiceAndScrapesItsMetricsPath(string? urlPrefix, string path)
    {
        var labels = new Dictionary<string, string> { ["release"] = "kube-prometheus-stack", [CeleryLabels.ManagedBy] = "someone-else" };
        var state = Fleet(spec => WithFlower(spec, flower => flower with { UrlPrefix = urlPrefix, ServiceMonitor = new FlowerServiceMonitorSpec { Enabled = true, Interval = "30s", Labels = labels } }));
        var monitor = state.Objects.OfType<ServiceMonitor>().Single();
        var service = state.Objects.OfType<V1Service>().Single();
        var endpoint = monitor.Spec.Endpoints.Single();
        Assert.Multiple(() =>
        {
            Assert.That(monitor.ApiVersion, Is.EqualTo("monitoring.coreos.com/v1"));
            Assert.That(monitor.Metadata.Name, Is.EqualTo("fleet-flower"));
            Assert.That(monitor.Spec.Selector.MatchLabels, Is.SubsetOf(service.Metadata.Labels), "selects Flower's Service");
            Assert.That(monitor.Spec.Selector.MatchLabels, Is.EqualTo(service.Spec.Selector), "and nothing wider than Flower");
            Assert.That(endpoint.Port, Is.EqualTo(service.Spec.Ports.Single().Name), "the Service's named port");
            Assert.That(endpoint.Path, Is.EqualTo(path));
            Assert.That(endpoint.Interval, Is.EqualTo("30s"));
            Assert.That(monitor.Metadata.Labels["release"], Is.EqualTo("kube-prometheus-stack"), "the user's labels, for a Prometheus' selector");
            Assert.That(monitor.Metadata.Labels[CeleryLabels.ManagedBy], Is.EqualTo(CeleryLabels.ManagerName), "the operator's own labels win");
        });
    }

    [Test]
    public void NoServiceMonitorWhenDisabledOrWithoutFlower()
    {
        var disabled = Fleet(spec => WithFlower(spec, flower => flower with { ServiceMonitor = new FlowerServiceMonitorSpec { Enabled = false } }));
        var noFlower = Fleet(spec => WithFlower(spec, flower => flower with { Enabled = false, ServiceMonitor = new FlowerServiceMonitorSpec { Enabled = true }, Persistence = new PersistenceSpec { Size = "1Gi" } }));
        Assert.Multiple(() =>
        {
            Assert.That(disabled.Objects.OfType<ServiceMonitor>(), Is.Empty);
            Assert.That(noFlower.Objects.OfType<ServiceMonitor>(), Is.Empty);
            Assert.That(Claims(noFlower), Is.Empty, "no claim for a Flower that does not run");
        });
    }
}
