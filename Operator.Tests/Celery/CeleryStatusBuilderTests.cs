using k8s.Models;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;

namespace Operator.Tests.Celery;

public sealed class CeleryStatusBuilderTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static V1Deployment Deployment(string name, int replicas, int ready, int updated, long generation = 1, long observed = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus { Replicas = replicas, ReadyReplicas = ready, AvailableReplicas = ready, UpdatedReplicas = updated, ObservedGeneration = observed },
    };

    private static CeleryResource Resource()
    {
        var resource = SampleResources.Load("rabbitmq-hpa");
        resource.Metadata.Generation = 4;
        return resource;
    }

    private static ObservedChildren AllReady() => new(new Dictionary<string, V1Deployment>
    {
        ["reports-worker-ingest"] = Deployment("reports-worker-ingest", 3, 3, 3),
        ["reports-worker-render"] = Deployment("reports-worker-render", 4, 4, 4),
        ["reports-flower"] = Deployment("reports-flower", 1, 1, 1),
    });

    private static V1Condition Condition(CeleryStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    private static readonly Operator.Celery.Scaling.GroupScaling Scaled = new(4, 4, T0, "1 to 4 replicas: backlog 70 at 20 per replica recommends 4", null, null, Operator.Celery.Scaling.ScaleHistory.Empty);

    private static ObservedChildren BuiltinObserved(Operator.Celery.Scaling.GroupScaling? ingest, bool scalerRuns = true) =>
        new(new Dictionary<string, V1Deployment>())
        {
            Scaling = ingest is null ? null : new Dictionary<string, Operator.Celery.Scaling.GroupScaling> { ["ingest"] = ingest },
            ScalerRuns = scalerRuns,
        };

    private static IEnumerable<TestCaseData> ScalingConditions()
    {
        yield return new TestCaseData(BuiltinObserved(Scaled), "True", CeleryConditions.Reasons.ScalerActive).SetName("Scaling is True once the scaler decides");
        yield return new TestCaseData(BuiltinObserved(null), "Unknown", CeleryConditions.Reasons.WaitingForScaler).SetName("Scaling is Unknown before the first pass");
        yield return new TestCaseData(BuiltinObserved(Scaled with { ContestedBy = "HorizontalPodAutoscaler/other" }), "False", CeleryConditions.Reasons.ScaleTargetContested).SetName("Scaling is False while another autoscaler targets the Deployment");
        yield return new TestCaseData(BuiltinObserved(Scaled with { Problem = new(CeleryConditions.Reasons.BacklogNotRead, "not read") }), "False", CeleryConditions.Reasons.BacklogNotRead).SetName("Scaling is False while the backlog is unread");
        yield return new TestCaseData(BuiltinObserved(null, scalerRuns: false), "False", CeleryConditions.Reasons.BacklogDisabled).SetName("Scaling is False when the operator reads no backlog");
    }

    [TestCaseSource(nameof(ScalingConditions))]
    public void TheScalingConditionSaysWhetherTheBuiltinScalerCanScale(ObservedChildren observed, string status, string reason)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var resource = CeleryYaml.LoadResources(File.ReadAllText(SampleResources.FilePath("redis-builtin"))).Single();
        var built = CeleryStatusBuilder.Build(resource, observed, ReconcileFindings.None, T0);
        var ingest = built.Workers!.Single(w => w.Name == "ingest");
        Assert.Multiple(() =>
        {
            Assert.That((Condition(built, CeleryConditions.Scaling).Status, Condition(built, CeleryConditions.Scaling).Reason), Is.EqualTo((status, reason)));
            Assert.That(ingest.Autoscaler!.Active, Is.EqualTo(status == "True"), "status.workers[].autoscaler.active");
            Assert.That(ingest.Scaler?.DesiredReplicas, Is.EqualTo(observed.Scaling?["ingest"].DesiredReplicas));
            Assert.That(built.Workers!.Single(w => w.Name == "default").Scaler, Is.Null, "a fixed group has no scaler");
        });
    }

    [Test]
    public void NoScalingConditionWithoutABuiltinGroup() =>
        Assert.That(CeleryStatusBuilder.Build(Resource(), AllReady(), ReconcileFindings.None, T0).Conditions!.Select(c => c.Type), Does.Not.Contain(CeleryConditions.Scaling));

    [Test]
    public void ReadyWhenEveryDeploymentIsAvailable()
    {
        var status = CeleryStatusBuilder.Build(Resource(), AllReady(), ReconcileFindings.None, T0);
        Assert.Multiple(() =>
        {
            Assert.That(Condition(status, CeleryConditions.Ready).Status, Is.EqualTo("True"));
            Assert.That(Condition(status, CeleryConditions.Progressing).Status, Is.EqualTo("False"));
            Assert.That(Condition(status, CeleryConditions.Degraded).Status, Is.EqualTo("False"));
            Assert.That(Condition(status, CeleryConditions.AutoscalingActive).Status, Is.EqualTo("True"));
            Assert.That(status.ObservedGeneration, Is.EqualTo(4));
            Assert.That(status.WorkersReady, Is.EqualTo("7/7"));
            Assert.That(status.Workers!.Single(w => w.Name == "render").Autoscaler!.Kind, Is.EqualTo("HorizontalPodAutoscaler"));
            Assert.That(status.Flower!.Url, Is.EqualTo("http://reports-flower.analytics.svc:80"));
        });
    }

    [Test]
    public void NotReadyAndProgressingDuringARollout()
    {
        var observed = AllReady().Deployments.ToDictionary();
        observed["reports-worker-ingest"] = Deployment("reports-worker-ingest", 3, 2, 1, generation: 2, observed: 2);
        var status = CeleryStatusBuilder.Build(Resource(), new ObservedChildren(observed), ReconcileFindings.None, T0);
        Assert.Multiple(() =>
        {
            Assert.That(Condition(status, CeleryConditions.Ready).Status, Is.EqualTo("False"));
            Assert.That(Condition(status, CeleryConditions.Ready).Message, Does.Contain("reports-worker-ingest"));
            Assert.That(Condition(status, CeleryConditions.Progressing).Status, Is.EqualTo("True"));
            Assert.That(status.WorkersReady, Is.EqualTo("6/7"));
        });
    }

    // kube-apiserver bumps a Deployment's generation when only its annotations change (the operator's
    // replicas-owner annotation flips when autoscaling is switched): until the controller has observed that
    // generation, every replica being ready does not make the Deployment ready.
    [Test]
    public void AnUnobservedGenerationIsStillARollout()
    {
        var observed = AllReady().Deployments.ToDictionary();
        observed["reports-worker-ingest"] = Deployment("reports-worker-ingest", 3, 3, 3, generation: 3, observed: 2);
        var status = CeleryStatusBuilder.Build(Resource(), new ObservedChildren(observed), ReconcileFindings.None, T0);
        Assert.Multiple(() =>
        {
            Assert.That(Condition(status, CeleryConditions.Ready).Status, Is.EqualTo("False"));
            Assert.That(Condition(status, CeleryConditions.Progressing).Status, Is.EqualTo("True"));
        });

        observed["reports-worker-ingest"] = Deployment("reports-worker-ingest", 3, 3, 3, generation: 3, observed: 3);
        var caughtUp = CeleryStatusBuilder.Build(Resource(), new ObservedChildren(observed), ReconcileFindings.None, T0);
        Assert.That(Condition(caughtUp, CeleryConditions.Ready).Status, Is.EqualTo("True"));
    }

    [Test]
    public void AProblemMakesItDegradedWithItsReason()
    {
        var findings = new ReconcileFindings([new ReconcileProblem(CeleryConditions.Reasons.BrokerSecretMissing, "Secret reports-rabbitmq not found", false)], null, null, []);
        var status = CeleryStatusBuilder.Build(Resource(), AllReady(), findings, T0);
        Assert.Multiple(() =>
        {
            Assert.That(Condition(status, CeleryConditions.Ready).Reason, Is.EqualTo(CeleryConditions.Reasons.BrokerSecretMissing));
            Assert.That(Condition(status, CeleryConditions.Degraded).Status, Is.EqualTo("True"));
        });
    }

    [Test]
    public void TransitionTimesOnlyMoveWhenTheStatusChanges()
    {
        var resource = Resource();
        var first = CeleryStatusBuilder.Build(resource, AllReady(), ReconcileFindings.None, T0);
        resource.Status = first;
        var same = CeleryStatusBuilder.Build(resource, AllReady(), ReconcileFindings.None, T0.AddMinutes(5));
        var changed = CeleryStatusBuilder.Build(resource, ObservedChildren.None, ReconcileFindings.None, T0.AddMinutes(5));
        Assert.Multiple(() =>
        {
            Assert.That(Condition(same, CeleryConditions.Ready).LastTransitionTime, Is.EqualTo(T0));
            Assert.That(Condition(changed, CeleryConditions.Ready).LastTransitionTime, Is.EqualTo(T0.AddMinutes(5)));
        });
    }
}
