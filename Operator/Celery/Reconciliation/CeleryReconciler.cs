// The Celery controller's reconcile: from a resource key to children applied, status written, events recorded.
// It chooses the handler from what it observes: gone or being deleted -> delete handler; no children yet ->
// create handler; otherwise -> update handler. Invariants: an invalid spec (only what an API server would reject at
// admission) is a terminal error reported on status (no hot retry, other resources unaffected) and logged once, by
// the controller; a risk the API server accepts (a missing resource request) is applied anyway and reported on
// status and in one Warning event; a broker Secret problem is reported and retried with
// backoff while everything not needing the broker is still applied; KEDA's absence disables only queue-length
// autoscaling and is re-checked until KEDA appears; no Secret value is ever logged or put in an event.
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Validation;
using Operator.Keda;
using Operator.PrometheusOperator;
using Operator.Runtime;
using Operator.Runtime.Discovery;
using Operator.Runtime.Events;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Celery.Reconciliation;

/// <summary>Options of the Celery reconciler.</summary>
public sealed record CeleryReconcilerOptions
{
    /// <summary>How soon a resource waiting for an optional API to be installed (KEDA, the Prometheus Operator's ServiceMonitor) is looked at again.</summary>
    public TimeSpan KedaRecheckInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Reconciles one Celery resource.</summary>
public sealed class CeleryReconciler : IReconciler
{
    private readonly CeleryClusterState state;
    private readonly BrokerSecrets brokerSecrets;
    private readonly ChildApplier applier;
    private readonly StatusWriter statusWriter;
    private readonly IEventRecorder events;
    private readonly ApiDiscovery discovery;
    private readonly CreateHandler createHandler;
    private readonly UpdateHandler updateHandler;
    private readonly DeleteHandler deleteHandler;
    private readonly CeleryReconcilerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public CeleryReconciler(
        CeleryClusterState state,
        BrokerSecrets brokerSecrets,
        ChildApplier applier,
        StatusWriter statusWriter,
        IEventRecorder events,
        ApiDiscovery discovery,
        CeleryReconcilerOptions options,
        TimeProvider time,
        ILogger<CeleryReconciler> logger)
    {
        this.state = state;
        this.brokerSecrets = brokerSecrets;
        this.applier = applier;
        this.statusWriter = statusWriter;
        this.events = events;
        this.discovery = discovery;
        this.options = options;
        this.time = time;
        this.logger = logger;
        createHandler = new CreateHandler(state, applier);
        updateHandler = new UpdateHandler(state, applier);
        deleteHandler = new DeleteHandler(events);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var resource = state.Celeries.Get(key);
        if (resource is null)
        {
            brokerSecrets.Forget(key);
            await deleteHandler.OnGoneAsync(key, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success();
        }

        deleteHandler.Observe(key, resource);
        if (resource.Metadata.DeletionTimestamp is not null)
        {
            await deleteHandler.OnDeletingAsync(resource, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success();
        }

        var violations = CeleryValidator.Validate(resource);
        if (violations.Count > 0)
        {
            return await ReportInvalidAsync(resource, violations.Select(v => v.ToString()).ToList(), cancellationToken).ConfigureAwait(false);
        }

        var (broker, problems) = await brokerSecrets.ResolveAsync(resource, cancellationToken).ConfigureAwait(false);
        var findings = new List<ReconcileProblem>(problems);
        string? autoscalingReason = null, autoscalingMessage = null;
        var specWarnings = CeleryValidator.Warnings(resource);
        var warnings = specWarnings.Where(w => w.Reason == SpecWarning.ResourceRequestMissing).Select(w => w.ToString()).ToList();
        var allWarnings = specWarnings.Select(w => w.ToString()).ToList();
        var desired = DesiredStateBuilder.Build(resource, broker);
        var children = desired.Objects.ToList();

        var wantsKeda = resource.Spec.Workers.Any(w => w.Autoscaling?.QueueLength is not null);
        var kedaServed = wantsKeda && await discovery.IsServedAsync(CeleryApiResources.ScaledObjects, cancellationToken).ConfigureAwait(false);
        if (wantsKeda && !kedaServed)
        {
            children.RemoveAll(c => c is ScaledObject or TriggerAuthentication || c.Metadata.Name == new Naming.ChildNames(resource.Metadata.Name).KedaBrokerSecret);
            autoscalingReason = CeleryConditions.Reasons.KedaNotInstalled;
            autoscalingMessage = "queue-length autoscaling needs KEDA (keda.sh/v1alpha1 ScaledObject is not served); everything else is applied";
        }
        else if (desired.Pending.Count > 0)
        {
            autoscalingReason = problems.FirstOrDefault()?.Reason ?? CeleryConditions.Reasons.BrokerSecretMissing;
            autoscalingMessage = string.Join("; ", desired.Pending);
        }

        // The ServiceMonitor is optional like KEDA: without the Prometheus Operator everything else is applied, and
        // status.warnings and a Warning event say why there is none.
        var wantsServiceMonitor = resource.Spec.Flower is { Enabled: true, ServiceMonitor.Enabled: true };
        var serviceMonitorServed = wantsServiceMonitor && await discovery.IsServedAsync(CeleryApiResources.ServiceMonitors, cancellationToken).ConfigureAwait(false);
        string? serviceMonitorWarning = null;
        if (wantsServiceMonitor && !serviceMonitorServed)
        {
            children.RemoveAll(c => c is ServiceMonitor);
            serviceMonitorWarning = "spec.flower.serviceMonitor: monitoring.coreos.com/v1 ServiceMonitor is not served (the Prometheus Operator is not installed); the ServiceMonitor is created once it is";
            allWarnings.Add(serviceMonitorWarning);
        }

        var observed = state.ControlledBy(resource.Metadata.Uid).ToList();
        IReadOnlyList<ChildOutcome> outcomes;
        try
        {
            outcomes = observed.Count == 0
                ? await createHandler.RunAsync(resource, children, cancellationToken).ConfigureAwait(false)
                // While the broker is unreadable, keep the KEDA objects built from its last good value.
                : await updateHandler.RunAsync(resource, children, observed, (cache, _) => broker.Endpoint is null && (CeleryApiResources.IsKeda(cache.Resource) || cache.Resource == CeleryApiResources.Secrets), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            logger.LogWarning("Applying children failed: {Error}", e.Message);
            // A 403 names the verb, resource and namespace the operator's RBAC lacks; say so in those words.
            var (reason, message) = e.StatusCode == System.Net.HttpStatusCode.Forbidden
                ? (CeleryConditions.Reasons.PermissionDenied, $"the operator's RBAC does not allow a write it needs: {e.Message}")
                : (CeleryConditions.Reasons.ApplyFailed, e.Message);
            await events.RecordAsync(resource, EventSeverity.Warning, reason, "Apply", message, cancellationToken).ConfigureAwait(false);
            await WriteStatusAsync(resource, new ReconcileFindings([.. findings, new ReconcileProblem(reason, message, false)], autoscalingReason, autoscalingMessage, warnings) { Warnings = allWarnings, ServiceMonitorNotServed = serviceMonitorWarning is not null }, cancellationToken).ConfigureAwait(false);
            return e.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? ReconcileResult.After(retryAfter) : ReconcileResult.RequeueNow();
        }

        await RecordOutcomesAsync(resource, outcomes, cancellationToken).ConfigureAwait(false);
        foreach (var outcome in outcomes.Where(o => o.Action == ChildAction.Conflict))
        {
            findings.Add(new ReconcileProblem(CeleryConditions.Reasons.NameConflict, $"{outcome.Kind} {outcome.Name}: {outcome.Detail}", Terminal: true));
        }

        foreach (var problem in problems)
        {
            await events.RecordAsync(resource, EventSeverity.Warning, problem.Reason, "Reconcile", problem.Message, cancellationToken).ConfigureAwait(false);
        }

        foreach (var group in specWarnings.GroupBy(w => w.Reason))
        {
            await events.RecordAsync(resource, EventSeverity.Warning, group.Key, "Validate", string.Join("; ", group), cancellationToken).ConfigureAwait(false);
        }

        if (serviceMonitorWarning is not null)
        {
            await events.RecordAsync(resource, EventSeverity.Warning, CeleryConditions.Reasons.ServiceMonitorNotInstalled, "Apply", serviceMonitorWarning, cancellationToken).ConfigureAwait(false);
        }

        await WriteStatusAsync(resource, new ReconcileFindings(findings, autoscalingReason, autoscalingMessage, warnings) { Warnings = allWarnings, ServiceMonitorNotServed = serviceMonitorWarning is not null }, cancellationToken).ConfigureAwait(false);
        if (findings.Any(f => !f.Terminal))
        {
            return ReconcileResult.RequeueNow();
        }

        if (findings.Count > 0)
        {
            return ReconcileResult.Terminal(string.Join("; ", findings.Select(f => f.Message)));
        }

        return (wantsKeda && !kedaServed) || serviceMonitorWarning is not null ? ReconcileResult.After(options.KedaRecheckInterval) : ReconcileResult.Success();
    }

    private async Task<ReconcileResult> ReportInvalidAsync(CeleryResource resource, IReadOnlyList<string> violations, CancellationToken cancellationToken)
    {
        // Not logged here: the controller logs the terminal result, once.
        var message = "invalid spec: " + string.Join("; ", violations);
        await events.RecordAsync(resource, EventSeverity.Warning, CeleryConditions.Reasons.InvalidSpec, "Validate", message, cancellationToken).ConfigureAwait(false);
        var findings = new ReconcileFindings(
            [new ReconcileProblem(CeleryConditions.Reasons.InvalidSpec, message, Terminal: true)],
            CeleryConditions.Reasons.InvalidSpec,
            "no autoscaler is applied or updated while the spec is invalid",
            []);
        await WriteStatusAsync(resource, findings, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Terminal(message);
    }

    private async Task WriteStatusAsync(CeleryResource resource, ReconcileFindings findings, CancellationToken cancellationToken)
    {
        var deployments = state.CacheFor("apps/v1", "Deployment").ControlledBy(resource.Metadata.Uid)
            .OfType<V1Deployment>()
            .ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        var claims = state.CacheFor("v1", "PersistentVolumeClaim").ControlledBy(resource.Metadata.Uid)
            .OfType<V1PersistentVolumeClaim>()
            .ToDictionary(c => c.Metadata.Name, c => c.Status?.Phase, StringComparer.Ordinal);
        var status = CeleryStatusBuilder.Build(resource, new ObservedChildren(deployments) { ClaimPhases = claims }, findings, time.GetUtcNow().UtcDateTime);
        await statusWriter.WriteIfChangedAsync(resource, status, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One Warning event per conflict, and one Normal event per kind of change (Created, Updated, Deleted) naming
    /// every child it touched: an Event is an API write, and one per child doubled the writes of a first reconcile.
    /// </summary>
    private async Task RecordOutcomesAsync(CeleryResource resource, IReadOnlyList<ChildOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var outcome in outcomes.Where(o => o.Action != ChildAction.Unchanged))
        {
            logger.LogInformation("{Action} {Kind} {Child}", outcome.Action, outcome.Kind, outcome.Name);
        }

        foreach (var conflict in outcomes.Where(o => o.Action == ChildAction.Conflict))
        {
            await events.RecordAsync(resource, EventSeverity.Warning, CeleryConditions.Reasons.NameConflict, "Apply", conflict.ToString(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var changes in outcomes.Where(o => o.Action is ChildAction.Created or ChildAction.Updated or ChildAction.Deleted).GroupBy(o => o.Action))
        {
            var message = ChildOutcomeSummary.Describe(changes.Key, [.. changes]);
            await events.RecordAsync(resource, EventSeverity.Normal, changes.Key.ToString(), changes.Key == ChildAction.Deleted ? "Delete" : "Apply", message, cancellationToken).ConfigureAwait(false);
        }
    }
}
