// The Celery controller's decisions, as pure functions: no I/O, no clock (the time is an argument), no state.
// Plan decides, from the resource, its cached children and the facts the reconciler gathered, which children to
// apply and delete, what status already knows, and which events follow; Conclude decides, from the plan and what
// applying did, the status, the events and the requeue. Invariants: an invalid spec (only what an API server would
// reject at admission) applies and deletes nothing and ends terminally, reported on status and in one event; a risk
// the API server accepts (a missing resource request) is applied anyway and reported on status and in one Warning
// event per reason; a broker Secret problem is reported and retried while everything not needing the broker is still
// applied, and the KEDA objects built from the last readable broker are kept meanwhile; KEDA's absence leaves out only
// the KEDA objects and is looked at again after the recheck interval; children are deleted only when the resource
// has some and they are no longer desired, by uid; a name conflict is terminal until the resource changes; an API
// error is retried (after its Retry-After when it gives one), a 403 reported as the operator's missing permission.
using System.Net;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Naming;
using Operator.Celery.Validation;
using Operator.Keda;
using Operator.PrometheusOperator;
using Operator.Runtime.Apply;
using Operator.Runtime.Events;
using Operator.Runtime.Reconcile;

namespace Operator.Celery.Reconciliation;

/// <summary>Plans and concludes one reconcile of a live Celery resource.</summary>
public static class CeleryPlanner
{
    /// <summary>The autoscaling message while KEDA's API is not served.</summary>
    public const string ServiceMonitorNotInstalledMessage =
        "spec.flower.serviceMonitor: monitoring.coreos.com/v1 ServiceMonitor is not served (the Prometheus Operator is not installed); the ServiceMonitor is created once it is";

    public const string KedaNotInstalledMessage = "queue-length autoscaling with engine keda needs KEDA (keda.sh/v1alpha1 ScaledObject is not served); everything else is applied. Set autoscaling.queueLength.engine: builtin to have the operator scale the group from the backlog it reads, without KEDA";

    /// <summary>Whether the resource asks for Flower's ServiceMonitor (then whether ServiceMonitor is served is asked).</summary>
    public static bool WantsServiceMonitor(CeleryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Spec.Flower is { Enabled: true, ServiceMonitor.Enabled: true };
    }

    /// <summary>Whether the resource asks for queue-length autoscaling by KEDA, and so whether the plan needs to know if KEDA is served.</summary>
    public static bool WantsKeda(CeleryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Spec.Workers.Any(w => w.Autoscaling?.QueueLength is { IsBuiltin: false });
    }

    /// <summary>Decides what the reconcile of a live (not deleting) resource does.</summary>
    public static ReconcilePlan Plan(CeleryResource resource, IReadOnlyList<ObservedChild> observed, ReconcileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(facts);
        var uid = resource.Metadata.Uid;
        var violations = CeleryValidator.Validate(resource);
        if (violations.Count > 0)
        {
            var message = "invalid spec: " + string.Join("; ", violations.Select(v => v.ToString()));
            return new ReconcilePlan(
                ChildSet.Nothing(uid),
                new ReconcileFindings(
                    [new ReconcileProblem(CeleryConditions.Reasons.InvalidSpec, message, Terminal: true)],
                    CeleryConditions.Reasons.InvalidSpec,
                    "no autoscaler is applied or updated while the spec is invalid",
                    []),
                StandsOnStatus(resource, message) ? [] : [new PlannedEvent(EventSeverity.Warning, CeleryConditions.Reasons.InvalidSpec, "Validate", message)],
                WaitsForKeda: false);
        }

        var broker = facts.Broker;
        var specWarnings = CeleryValidator.Warnings(resource);
        var desired = DesiredStateBuilder.Build(resource, broker);
        var children = desired.Objects.ToList();
        string? autoscalingReason = null, autoscalingMessage = null;
        var waitsForKeda = WantsKeda(resource) && !facts.KedaServed;
        if (waitsForKeda)
        {
            var kedaSecret = new ChildNames(resource.Metadata.Name).KedaBrokerSecret;
            children.RemoveAll(c => c is ScaledObject or TriggerAuthentication || c.Metadata.Name == kedaSecret);
            autoscalingReason = CeleryConditions.Reasons.KedaNotInstalled;
            autoscalingMessage = KedaNotInstalledMessage;
        }
        else if (desired.Pending.Count > 0)
        {
            autoscalingReason = facts.BrokerProblems.FirstOrDefault()?.Reason ?? CeleryConditions.Reasons.BrokerSecretMissing;
            autoscalingMessage = string.Join("; ", desired.Pending);
        }

        // The ServiceMonitor is optional like KEDA: without the Prometheus Operator everything else is applied, and
        // status.warnings and a Warning event say why there is none.
        var waitsForServiceMonitor = WantsServiceMonitor(resource) && !facts.ServiceMonitorServed;
        if (waitsForServiceMonitor)
        {
            children.RemoveAll(c => c is ServiceMonitor);
        }

        var apply = children.Select(c => DesiredChild.Of(CeleryApiResources.ChildOf(c.ApiVersion, c.Kind), c)).ToList();

        // A child is the same object whatever version it is read through. While the broker is unreadable, the KEDA
        // objects built from its last good value are kept.
        var wanted = apply.Select(c => (c.Resource.Group, c.Resource.Kind, c.Name)).ToHashSet();
        var delete = observed
            .Where(o => !wanted.Contains((o.Resource.Group, o.Resource.Kind, o.Object.Metadata.Name)))
            .Where(o => broker.Endpoint is not null || !(CeleryApiResources.IsKeda(o.Resource) || o.Resource == CeleryApiResources.Secrets))
            .Select(o => new ObsoleteChild(o.Resource, o.Object.Metadata.NamespaceProperty, o.Object.Metadata.Name, o.Object.Metadata.Uid))
            .ToList();

        var events = facts.BrokerProblems
            .Select(p => new PlannedEvent(EventSeverity.Warning, p.Reason, "Reconcile", p.Message))
            .Concat(specWarnings.GroupBy(w => w.Reason)
                .Where(g => !g.All(w => StandsOnStatus(resource, w.ToString())))
                .Select(g => new PlannedEvent(EventSeverity.Warning, g.Key, "Validate", string.Join("; ", g))))
            .Concat(waitsForServiceMonitor && !StandsOnStatus(resource, ServiceMonitorNotInstalledMessage)
                ? [new PlannedEvent(EventSeverity.Warning, CeleryConditions.Reasons.ServiceMonitorNotInstalled, "Apply", ServiceMonitorNotInstalledMessage)]
                : [])
            .ToList();
        var findings = new ReconcileFindings(
            facts.BrokerProblems,
            autoscalingReason,
            autoscalingMessage,
            [.. specWarnings.Where(w => w.Reason == SpecWarning.ResourceRequestMissing).Select(w => w.ToString())])
        {
            Warnings = [.. specWarnings.Select(w => w.ToString()), .. waitsForServiceMonitor ? [ServiceMonitorNotInstalledMessage] : Array.Empty<string>()],
            ServiceMonitorNotServed = waitsForServiceMonitor,
        };
        // Both optional APIs are looked for again after the same interval.
        return new ReconcilePlan(new ChildSet(uid, apply, delete), findings, events, waitsForKeda || waitsForServiceMonitor);
    }

    /// <summary>Decides the status, the events and the requeue from the plan and what applying its children did.</summary>
    /// <param name="deployments">The resource's Deployments as the cache holds them now, for the replica counts and rollout.</param>
    /// <param name="kedaRecheck">How soon a resource waiting for KEDA is looked at again.</param>
    public static ReconcileConclusion Conclude(CeleryResource resource, ReconcilePlan plan, ChildSetResult applied, ObservedChildren deployments, DateTime now, TimeSpan kedaRecheck)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(deployments);
        if (applied.Failure is { } failure)
        {
            // A 403 names the verb, resource and namespace the operator's RBAC lacks; say so in those words.
            var (reason, message) = failure.StatusCode == HttpStatusCode.Forbidden
                ? (CeleryConditions.Reasons.PermissionDenied, $"the operator's RBAC does not allow a write it needs: {failure.Message}")
                : (CeleryConditions.Reasons.ApplyFailed, failure.Message);
            var failed = plan.Findings with { Problems = [.. plan.Findings.Problems, new ReconcileProblem(reason, message, Terminal: false)] };
            return new ReconcileConclusion(
                CeleryStatusBuilder.Build(resource, deployments, failed, now),
                [new PlannedEvent(EventSeverity.Warning, reason, "Apply", message)],
                failure.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? ReconcileResult.After(retryAfter) : ReconcileResult.RequeueNow());
        }

        var conflicts = applied.Outcomes.Where(o => o.Action == ChildAction.Conflict).ToList();
        var findings = plan.Findings with
        {
            Problems = [.. plan.Findings.Problems, .. conflicts.Select(c => new ReconcileProblem(CeleryConditions.Reasons.NameConflict, $"{c.Kind} {c.Name}: {c.Detail}", Terminal: true))],
        };
        var events = conflicts
            .Select(c => new PlannedEvent(EventSeverity.Warning, CeleryConditions.Reasons.NameConflict, "Apply", c.ToString()))
            .Concat(ChangeEvents(applied.Outcomes))
            .Concat(plan.Events)
            .ToList();
        var result = findings.Problems.Any(p => !p.Terminal) ? ReconcileResult.RequeueNow()
            : findings.Problems.Count > 0 ? ReconcileResult.Terminal(string.Join("; ", findings.Problems.Select(p => p.Message)))
            : plan.WaitsForKeda ? ReconcileResult.After(kedaRecheck)
            : ReconcileResult.Success();
        return new ReconcileConclusion(CeleryStatusBuilder.Build(resource, deployments, findings, now), events, result);
    }

    /// <summary>
    /// One Normal event per kind of change (Created, Updated, Deleted) naming every child it touched: an Event is an
    /// API write, and one per child doubled the writes of a first reconcile.
    /// </summary>
    // A standing finding the resource's status already shows (a spec warning, an invalid spec) was announced by an
    // Event when it appeared; announcing it again at every resync would cost one Event write per resource per
    // resync for nothing new, and the steady state must write nothing. Findings that are retried (a missing broker
    // Secret, an API error) are not filtered: their repeats are counted on their Event.
    private static bool StandsOnStatus(CeleryResource resource, string message) =>
        resource.Status?.Warnings?.Contains(message) == true
        || resource.Status?.Conditions?.Any(c => c.Message == message) == true;

    private static IEnumerable<PlannedEvent> ChangeEvents(IReadOnlyList<ChildOutcome> outcomes) =>
        outcomes
            .Where(o => o.Action is ChildAction.Created or ChildAction.Updated or ChildAction.Deleted)
            .GroupBy(o => o.Action)
            .Select(changes => new PlannedEvent(
                EventSeverity.Normal,
                changes.Key.ToString(),
                changes.Key == ChildAction.Deleted ? "Delete" : "Apply",
                ChildOutcomeSummary.Describe(changes.Key, [.. changes])));
}
