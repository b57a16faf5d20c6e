using System.Net;
using k8s.Models;
using Operator.Celery.Broker;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Keda;
using Operator.Runtime.Apply;
using Operator.Runtime.Events;
using Operator.Runtime.Source;

namespace Operator.Tests.Celery;

/// <summary>
/// How a Celery resource is reconciled, as decisions of the pure planner (no API, no clock): what it applies and
/// deletes, what status says, which events are recorded and when the resource is looked at again. The emulator's
/// lifecycle tests prove the same behaviours end to end.
/// </summary>
public sealed class ReconcilePlanSpecification
{
    private const string Uid = "uid-of-the-resource";
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan KedaRecheck = TimeSpan.FromSeconds(30);

    private static CeleryResource Resource(string workers, string extra = "")
    {
        var resource = CeleryYaml.LoadResources($$"""
            apiVersion: celeryproject.org/v1alpha1
            kind: Celery
            metadata: {name: shop, namespace: shop}
            spec:
              image: example/app:1
              app: shop.celery
              broker:
                type: redis
                urlSecretRef: {name: shop-redis, key: url}
              workers:
            {{workers}}
            {{extra}}
            """).Single();
        resource.Metadata.Uid = Uid;
        resource.Metadata.Generation = 1;
        return resource;
    }

    private static CeleryResource OneGroup() => Resource("    - {name: default, resources: {requests: {cpu: 100m}}}");

    private static CeleryResource QueueLengthAutoscaled() =>
        Resource("    - {name: default, resources: {requests: {cpu: 100m}}, autoscaling: {minReplicas: 1, maxReplicas: 5, queueLength: {targetPerReplica: 10}}}");

    private static CeleryResource BuiltinScaled() =>
        Resource("    - {name: default, resources: {requests: {cpu: 100m}}, autoscaling: {minReplicas: 0, maxReplicas: 5, queueLength: {targetPerReplica: 10, engine: builtin}}}");

    private static CeleryResource CpuAutoscaledWithoutRequest() =>
        Resource("    - {name: default, concurrency: 2, autoscaling: {minReplicas: 1, maxReplicas: 5, cpu: {targetUtilization: 70}}}");

    private static BrokerContext Broker() => new(BrokerUrlParser.Parse("redis", "redis://:pw@redis.shop.svc:6379/0").Endpoint, "sha256:0123456789abcdef");

    private static ReconcileFacts Readable(bool kedaServed = true) => new(Broker(), [], kedaServed);

    private static ReconcileFacts BrokerSecretMissing() =>
        new(BrokerContext.Unresolved, [new ReconcileProblem(CeleryConditions.Reasons.BrokerSecretMissing, "Secret shop-redis not found", Terminal: false)], KedaServed: true);

    /// <summary>What the cache would hold once everything the resource wants had been applied under the given facts.</summary>
    private static List<ObservedChild> Converged(CeleryResource resource, ReconcileFacts facts) =>
        [.. CeleryPlanner.Plan(resource, [], facts).Children.Apply.Select(c => Observed(c.Resource, c.Kind, c.Name))];

    private static ObservedChild Observed(ResourceDescriptor resource, string kind, string name) =>
        new(resource, new V1ConfigMap { ApiVersion = resource.ApiVersion, Kind = kind, Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", Uid = "uid-of-" + name } });

    private static ReconcileConclusion Conclude(CeleryResource resource, ReconcilePlan plan, params ChildOutcome[] outcomes) =>
        CeleryPlanner.Conclude(resource, plan, ChildSetResult.Applied(outcomes), ObservedChildren.None, Now, KedaRecheck);

    private static ChildOutcome[] Each(ReconcilePlan plan, ChildAction action) =>
        [.. plan.Children.Apply.Select(c => new ChildOutcome(action, c.Kind, c.Name))];

    private static IEnumerable<string> Kinds(ReconcilePlan plan) => plan.Children.Apply.Select(c => $"{c.Kind}/{c.Name}");

    private static V1Condition Condition(CeleryStatus status, string type) => status.Conditions!.Single(c => c.Type == type);

    [Test]
    public void ANewResourceAppliesEveryChildItWantsOwnedByItAndDeletesNothing()
    {
        var resource = OneGroup();
        var plan = CeleryPlanner.Plan(resource, [], Readable());

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(plan), Is.EqualTo(new[] { "Deployment/shop-worker-default", "Deployment/shop-flower", "Service/shop-flower" }));
            Assert.That(plan.Children.OwnerUid, Is.EqualTo(Uid));
            Assert.That(plan.Children.Apply.Select(c => c.Desired["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>()), Is.All.EqualTo(Uid));
            Assert.That(plan.Children.Delete, Is.Empty);
            Assert.That(plan.Events, Is.Empty);
        });
    }

    [Test]
    public void ASteadyResourceRecordsNoEventAndIsNotLookedAtAgain()
    {
        var resource = OneGroup();
        var plan = CeleryPlanner.Plan(resource, Converged(resource, Readable()), Readable());
        var conclusion = Conclude(resource, plan, Each(plan, ChildAction.Unchanged));

        Assert.Multiple(() =>
        {
            Assert.That(plan.Children.Delete, Is.Empty);
            Assert.That(conclusion.Events, Is.Empty);
            Assert.That(conclusion.Result.Requeue || conclusion.Result.RequeueAfter is not null || conclusion.Result.TerminalError is not null, Is.False);
        });
    }

    [Test]
    public void ChildrenNoLongerWantedAreDeletedByUidAfterTheApplies()
    {
        var resource = OneGroup();
        var observed = Converged(CpuAutoscaledWithoutRequest(), Readable());
        var plan = CeleryPlanner.Plan(resource, observed, Readable());

        Assert.That(plan.Children.Delete, Is.EqualTo(new[] { new ObsoleteChild(CeleryApiResources.HorizontalPodAutoscalers, "shop", "shop-worker-default", "uid-of-shop-worker-default") }));
    }

    [Test]
    public void ChangedChildrenAreReportedInOneNormalEventPerKindOfChange()
    {
        var resource = OneGroup();
        var plan = CeleryPlanner.Plan(resource, [], Readable());
        var conclusion = Conclude(resource, plan,
            new ChildOutcome(ChildAction.Created, "Deployment", "shop-worker-default"),
            new ChildOutcome(ChildAction.Created, "Service", "shop-flower"),
            new ChildOutcome(ChildAction.Updated, "Deployment", "shop-flower"),
            new ChildOutcome(ChildAction.Deleted, "HorizontalPodAutoscaler", "shop-worker-default"));

        Assert.That(conclusion.Events.Select(e => (e.Severity, e.Reason, e.Action)), Is.EqualTo(new[]
        {
            (EventSeverity.Normal, "Created", "Apply"),
            (EventSeverity.Normal, "Updated", "Apply"),
            (EventSeverity.Normal, "Deleted", "Delete"),
        }));
        Assert.That(conclusion.Events[0].Message, Does.Contain("shop-worker-default").And.Contain("shop-flower"));
    }

    [Test]
    public void AnInvalidSpecAppliesAndDeletesNothingIsReportedOnceAndIsNotRetried()
    {
        var resource = Resource("    - {name: default}\n    - {name: default}");
        var plan = CeleryPlanner.Plan(resource, Converged(OneGroup(), Readable()), ReconcileFacts.None);
        var conclusion = Conclude(resource, plan);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Children.Apply, Is.Empty);
            Assert.That(plan.Children.Delete, Is.Empty, "children of the last valid spec stay");
            Assert.That(conclusion.Events.Select(e => (e.Severity, e.Reason)), Is.EqualTo(new[] { (EventSeverity.Warning, CeleryConditions.Reasons.InvalidSpec) }));
            Assert.That(conclusion.Events[0].Message, Does.StartWith("invalid spec: ").And.Contain("spec.workers[1].name"));
            Assert.That(conclusion.Result.TerminalError, Is.EqualTo(conclusion.Events[0].Message));
            Assert.That(Condition(conclusion.Status, CeleryConditions.Degraded).Reason, Is.EqualTo(CeleryConditions.Reasons.InvalidSpec));
        });
    }

    [Test]
    public void WithoutKedaOnlyTheKedaObjectsAreLeftOutAndTheResourceIsLookedAtAgainAfterTheRecheckInterval()
    {
        var resource = QueueLengthAutoscaled();
        var withKeda = CeleryPlanner.Plan(resource, [], Readable(kedaServed: true));
        var withoutKeda = CeleryPlanner.Plan(resource, [], Readable(kedaServed: false));
        var conclusion = Conclude(resource, withoutKeda, Each(withoutKeda, ChildAction.Created));

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(withKeda), Does.Contain($"{ScaledObject.KindValue}/shop-worker-default").And.Contain($"{TriggerAuthentication.KindValue}/shop-keda-broker"));
            Assert.That(Kinds(withoutKeda), Is.EqualTo(Kinds(withKeda).Where(k => !k.StartsWith(ScaledObject.KindValue, StringComparison.Ordinal) && !k.StartsWith(TriggerAuthentication.KindValue, StringComparison.Ordinal) && k != "Secret/shop-keda-broker")));
            Assert.That(Condition(conclusion.Status, CeleryConditions.AutoscalingActive).Reason, Is.EqualTo(CeleryConditions.Reasons.KedaNotInstalled));
            Assert.That(conclusion.Result.RequeueAfter, Is.EqualTo(KedaRecheck));
        });
    }

    [Test]
    public void WithoutKedaTheStatusSuggestsTheBuiltinEngine()
    {
        var resource = QueueLengthAutoscaled();
        var plan = CeleryPlanner.Plan(resource, [], Readable(kedaServed: false));
        var conclusion = Conclude(resource, plan, Each(plan, ChildAction.Created));
        Assert.That(Condition(conclusion.Status, CeleryConditions.AutoscalingActive).Message, Does.Contain("engine: builtin"));
    }

    [Test]
    public void ABuiltinScaledGroupNeedsNoKedaAndOwnsNoAutoscalerObject()
    {
        var resource = BuiltinScaled();
        var plan = CeleryPlanner.Plan(resource, [], Readable(kedaServed: false));
        var conclusion = Conclude(resource, plan, Each(plan, ChildAction.Created));
        var deployment = plan.Children.Apply.Single(c => c.Kind == "Deployment" && c.Name == "shop-worker-default").Desired;

        Assert.Multiple(() =>
        {
            Assert.That(CeleryPlanner.WantsKeda(resource), Is.False, "KEDA's presence is not even asked");
            Assert.That(Kinds(plan), Does.Not.Contain($"{ScaledObject.KindValue}/shop-worker-default").And.Not.Contain($"{TriggerAuthentication.KindValue}/shop-keda-broker")
                .And.Not.Contain("Secret/shop-keda-broker").And.Not.Contain("HorizontalPodAutoscaler/shop-worker-default"));
            Assert.That(deployment["spec"]!.AsObject().ContainsKey("replicas"), Is.False, "the scaler owns spec.replicas: an apply never resets it");
            Assert.That(deployment["metadata"]!["annotations"]![CeleryLabels.ReplicasOwnerAnnotation]!.GetValue<string>(), Is.EqualTo(CeleryLabels.ReplicasOwnerAutoscaler), "the applier hands the field over");
            Assert.That(Condition(conclusion.Status, CeleryConditions.AutoscalingActive).Status, Is.EqualTo("True"));
            Assert.That(Condition(conclusion.Status, CeleryConditions.Scaling).Reason, Is.EqualTo(CeleryConditions.Reasons.WaitingForScaler), "Unknown until the scaler's first pass");
            Assert.That(conclusion.Status.Workers!.Single().Autoscaler!.Kind, Is.EqualTo("Deployment"));
            Assert.That(conclusion.Result.RequeueAfter, Is.Null, "nothing to wait for");
        });
    }

    [Test]
    public void SwitchingAGroupToTheBuiltinEngineDeletesItsScaledObject()
    {
        var observed = Converged(QueueLengthAutoscaled(), Readable());
        var plan = CeleryPlanner.Plan(BuiltinScaled(), observed, Readable());
        Assert.That(plan.Children.Delete.Select(d => $"{d.Resource.Kind}/{d.Name}"),
            Is.EquivalentTo(new[] { $"{ScaledObject.KindValue}/shop-worker-default", $"{TriggerAuthentication.KindValue}/shop-keda-broker", "Secret/shop-keda-broker" }));
    }

    [Test]
    public void WhileTheBrokerSecretIsMissingEverythingElseIsAppliedTheKedaObjectsAreKeptAndTheKeyIsRetried()
    {
        var resource = QueueLengthAutoscaled();
        var observed = Converged(resource, Readable());
        var plan = CeleryPlanner.Plan(resource, observed, BrokerSecretMissing());
        var conclusion = Conclude(resource, plan, Each(plan, ChildAction.Unchanged));

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(plan), Does.Contain("Deployment/shop-worker-default").And.Contain("Deployment/shop-flower"));
            Assert.That(Kinds(plan).Where(k => k.StartsWith(ScaledObject.KindValue, StringComparison.Ordinal)), Is.Empty, "nothing is built from an unreadable broker");
            Assert.That(plan.Children.Delete, Is.Empty, "the KEDA objects built from the last readable broker are kept");
            Assert.That(conclusion.Events.Select(e => (e.Severity, e.Reason, e.Action)), Is.EqualTo(new[] { (EventSeverity.Warning, CeleryConditions.Reasons.BrokerSecretMissing, "Reconcile") }));
            Assert.That(Condition(conclusion.Status, CeleryConditions.AutoscalingActive).Reason, Is.EqualTo(CeleryConditions.Reasons.BrokerSecretMissing));
            Assert.That(conclusion.Result.Requeue, Is.True);
        });
    }

    [Test]
    public void AGroupWithoutAResourceRequestIsAppliedWithEverythingElseAndTheRiskIsReportedInOneWarningEvent()
    {
        var resource = CpuAutoscaledWithoutRequest();
        var plan = CeleryPlanner.Plan(resource, [], Readable());
        var conclusion = Conclude(resource, plan, Each(plan, ChildAction.Unchanged));

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(plan), Does.Contain("HorizontalPodAutoscaler/shop-worker-default"));
            Assert.That(conclusion.Events.Select(e => (e.Severity, e.Reason, e.Action)), Is.EqualTo(new[] { (EventSeverity.Warning, CeleryConditions.Reasons.ResourceRequestMissing, "Validate") }));
            Assert.That(conclusion.Status.Warnings, Has.Count.EqualTo(1));
            Assert.That(conclusion.Result.TerminalError ?? (conclusion.Result.Requeue ? "requeue" : null), Is.Null);
        });
    }

    [Test]
    public void AStandingWarningIsAnnouncedWhenItAppearsNotAgainAtEveryResyncWhileStatusShowsIt()
    {
        var resource = CpuAutoscaledWithoutRequest();
        var first = CeleryPlanner.Plan(resource, [], Readable());
        var firstConclusion = Conclude(resource, first, Each(first, ChildAction.Created));
        resource.Status = firstConclusion.Status;

        var resync = CeleryPlanner.Plan(resource, Converged(resource, Readable()), Readable());
        var resyncConclusion = Conclude(resource, resync, Each(resync, ChildAction.Unchanged));

        Assert.Multiple(() =>
        {
            Assert.That(firstConclusion.Events.Select(e => e.Reason), Does.Contain(CeleryConditions.Reasons.ResourceRequestMissing));
            Assert.That(resyncConclusion.Events, Is.Empty, "the steady state writes nothing, not even an Event count");
            Assert.That(resyncConclusion.Status.Warnings, Is.EqualTo(firstConclusion.Status.Warnings), "status still shows the warning");
        });
    }

    [Test]
    public void AnInvalidSpecIsAnnouncedWhenItAppearsNotAgainAtEveryResyncWhileStatusShowsIt()
    {
        var resource = Resource("    - {name: default}\n    - {name: default}");
        var first = Conclude(resource, CeleryPlanner.Plan(resource, [], ReconcileFacts.None));
        resource.Status = first.Status;

        var resync = Conclude(resource, CeleryPlanner.Plan(resource, [], ReconcileFacts.None));

        Assert.Multiple(() =>
        {
            Assert.That(first.Events.Select(e => e.Reason), Is.EqualTo(new[] { CeleryConditions.Reasons.InvalidSpec }));
            Assert.That(resync.Events, Is.Empty);
            Assert.That(resync.Result.TerminalError, Is.EqualTo(first.Result.TerminalError), "still terminal, still on status");
        });
    }

    [Test]
    public void AnAutoscaledGroupsDeploymentLeavesItsReplicasToTheAutoscalerAndSaysSoForTheHandOver()
    {
        var resource = CpuAutoscaledWithoutRequest();
        var deployment = CeleryPlanner.Plan(resource, [], Readable()).Children.Apply.Single(c => c.Name == "shop-worker-default" && c.Kind == "Deployment").Desired;

        Assert.Multiple(() =>
        {
            Assert.That(deployment["spec"]!["replicas"], Is.Null);
            Assert.That(deployment["metadata"]!["annotations"]![CeleryLabels.ReplicasOwnerAnnotation]!.GetValue<string>(), Is.EqualTo(CeleryLabels.ReplicasOwnerAutoscaler));
        });
    }

    [Test]
    public void AnObjectWithOurNameButNotOursIsNeverOverwrittenAndTheConflictIsTerminalUntilTheResourceChanges()
    {
        var resource = OneGroup();
        var plan = CeleryPlanner.Plan(resource, [], Readable());
        var conclusion = Conclude(resource, plan,
            new ChildOutcome(ChildAction.Conflict, "Service", "shop-flower", "an object of this name exists and is not controlled by this resource"),
            new ChildOutcome(ChildAction.Created, "Deployment", "shop-worker-default"));

        Assert.Multiple(() =>
        {
            Assert.That(conclusion.Events.Select(e => (e.Severity, e.Reason)), Is.EqualTo(new[] { (EventSeverity.Warning, CeleryConditions.Reasons.NameConflict), (EventSeverity.Normal, "Created") }));
            Assert.That(conclusion.Result.TerminalError, Does.Contain("Service shop-flower"));
        });
    }

    private static IEnumerable<TestCaseData> ApiErrors()
    {
        yield return new TestCaseData(HttpStatusCode.Forbidden, null, CeleryConditions.Reasons.PermissionDenied, "the operator's RBAC does not allow a write it needs", null)
            .SetName("AForbiddenWriteIsReportedAsTheOperatorsMissingPermissionAndRetriedWithBackoff");
        yield return new TestCaseData(HttpStatusCode.UnprocessableEntity, null, CeleryConditions.Reasons.ApplyFailed, "APPLY", null)
            .SetName("ARejectedWriteIsReportedAsApplyFailedAndRetriedWithBackoff");
        yield return new TestCaseData(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(7), CeleryConditions.Reasons.ApplyFailed, "APPLY", TimeSpan.FromSeconds(7))
            .SetName("AThrottledWriteIsRetriedAfterTheServersRetryAfter");
    }

    [TestCaseSource(nameof(ApiErrors))]
    public void AnApiErrorEndsThePassWithOneWarningEventAndARetry(HttpStatusCode status, TimeSpan? retryAfter, string reason, string messageStart, TimeSpan? requeueAfter)
    {
        var resource = OneGroup();
        var plan = CeleryPlanner.Plan(resource, [], Readable());
        var conclusion = CeleryPlanner.Conclude(resource, plan, ChildSetResult.Failed(new ChildSetFailure(status, "APPLY deployments.apps shop-worker-default failed", retryAfter)), ObservedChildren.None, Now, KedaRecheck);

        Assert.Multiple(() =>
        {
            Assert.That(conclusion.Events.Select(e => (e.Severity, e.Reason, e.Action)), Is.EqualTo(new[] { (EventSeverity.Warning, reason, "Apply") }));
            Assert.That(conclusion.Events[0].Message, Does.StartWith(messageStart));
            Assert.That(Condition(conclusion.Status, CeleryConditions.Degraded).Reason, Is.EqualTo(reason));
            Assert.That(conclusion.Result.RequeueAfter, Is.EqualTo(requeueAfter));
            Assert.That(conclusion.Result.Requeue, Is.EqualTo(requeueAfter is null));
        });
    }
}
