// The Celery controller's reconcile: from a resource key to children applied, status written, events recorded.
// A resource gone or being deleted goes to the DeletionReporter (its children go with the garbage collector).
// Otherwise the reconcile gathers facts (the broker from the referenced Secrets, whether KEDA is served), reads the
// children the cache holds, lets CeleryPlanner decide, has the ChildSetApplier carry out the child set, lets
// CeleryPlanner conclude, and then records the events and writes the status it concluded. Every decision is the
// planner's (see its invariants); this class only reads and acts. No Secret value is ever logged or put in an event.
using k8s.Models;
using Operator.Celery.Model;
using Operator.Celery.Validation;
using Operator.Runtime;
using Operator.Runtime.Apply;
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
    private readonly ChildSetApplier applier;
    private readonly StatusWriter statusWriter;
    private readonly IEventRecorder events;
    private readonly ApiDiscovery discovery;
    private readonly DeletionReporter deletions;
    private readonly CeleryReconcilerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Backlog.BacklogStore? backlog;
    private readonly Scaling.BuiltinScalerStore? scaling;
    private readonly CleanReconcileMemo memo;

    public CeleryReconciler(
        CeleryClusterState state,
        BrokerSecrets brokerSecrets,
        ChildSetApplier applier,
        StatusWriter statusWriter,
        IEventRecorder events,
        ApiDiscovery discovery,
        CeleryReconcilerOptions options,
        TimeProvider time,
        ILogger<CeleryReconciler> logger,
        CleanReconcileMemo memo,
        Backlog.BacklogStore? backlog = null,
        Scaling.BuiltinScalerStore? scaling = null)
    {
        ArgumentNullException.ThrowIfNull(memo);
        this.memo = memo;
        this.backlog = backlog;
        this.scaling = scaling;
        this.state = state;
        this.brokerSecrets = brokerSecrets;
        this.applier = applier;
        this.statusWriter = statusWriter;
        this.events = events;
        this.discovery = discovery;
        this.options = options;
        this.time = time;
        this.logger = logger;
        deletions = new DeletionReporter(events);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var resource = state.Celeries.Get(key);
        if (resource is null)
        {
            memo.Forget(key);
            brokerSecrets.Forget(key);
            await deletions.OnGoneAsync(key, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success();
        }

        deletions.Observe(key, resource);
        if (resource.Metadata.DeletionTimestamp is not null)
        {
            memo.Forget(key);
            await deletions.OnDeletingAsync(resource, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success();
        }

        var facts = await GatherFactsAsync(resource, cancellationToken).ConfigureAwait(false);
        var observed = state.ControlledBy(resource.Metadata.Uid).Select(o => new ObservedChild(o.Cache.Resource, o.Child)).ToList();
        var inputs = ReconcileInputs.Of(resource, observed, facts, backlog?.Get(key), scaling?.Get(key)) with { BacklogPending = backlog is { HasCompletedPass: false } };
        if (memo.IsUnchanged(key, inputs))
        {
            return ReconcileResult.Success();
        }

        var plan = CeleryPlanner.Plan(resource, observed, facts);
        var applied = await ApplyAsync(plan.Children, cancellationToken).ConfigureAwait(false);
        var conclusion = CeleryPlanner.Conclude(resource, plan, applied, ObservedForStatus(resource, inputs), time.GetUtcNow().UtcDateTime, options.KedaRecheckInterval);

        // Not logged here when terminal: the controller logs the terminal result, once.
        foreach (var planned in conclusion.Events)
        {
            await events.RecordAsync(resource, planned.Severity, planned.Reason, planned.Action, planned.Message, cancellationToken).ConfigureAwait(false);
        }

        var statusWritten = await statusWriter.WriteIfChangedAsync(resource, conclusion.Status, cancellationToken).ConfigureAwait(false);
        memo.Record(key, inputs, wasClean: !statusWritten && conclusion.Events.Count == 0 && conclusion.Result is { Requeue: false, RequeueAfter: null, TerminalError: null }
            && applied.Failure is null && applied.Outcomes.All(o => o.Action == ChildAction.Unchanged));
        return conclusion.Result;
    }

    /// <summary>The broker and KEDA's presence; nothing for an invalid spec, which the plan rejects before reading them.</summary>
    private async Task<ReconcileFacts> GatherFactsAsync(CeleryResource resource, CancellationToken cancellationToken)
    {
        if (CeleryValidator.Validate(resource).Count > 0)
        {
            return ReconcileFacts.None;
        }

        var (broker, problems) = await brokerSecrets.ResolveAsync(resource, cancellationToken).ConfigureAwait(false);
        var kedaServed = CeleryPlanner.WantsKeda(resource) && await discovery.IsServedAsync(CeleryApiResources.ScaledObjects, cancellationToken).ConfigureAwait(false);
        var serviceMonitorServed = CeleryPlanner.WantsServiceMonitor(resource) && await discovery.IsServedAsync(CeleryApiResources.ServiceMonitors, cancellationToken).ConfigureAwait(false);
        return new ReconcileFacts(broker, problems, kedaServed) { ServiceMonitorServed = serviceMonitorServed };
    }

    private async Task<ChildSetResult> ApplyAsync(ChildSet children, CancellationToken cancellationToken)
    {
        IReadOnlyList<ChildOutcome> outcomes;
        try
        {
            outcomes = await applier.ApplyAsync(children, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            logger.LogWarning("Applying children failed: {Error}", e.Message);
            return ChildSetResult.Failed(new ChildSetFailure(e.StatusCode, e.Message, e.RetryAfter));
        }

        foreach (var outcome in outcomes.Where(o => o.Action != ChildAction.Unchanged))
        {
            logger.LogInformation("{Action} {Kind} {Child}", outcome.Action, outcome.Kind, outcome.Name);
        }

        return ChildSetResult.Applied(outcomes);
    }

    /// <summary>What the status reports besides the plan's findings: the Deployments' rollout, the last backlog read and the builtin scaler's state (null store: the scaler does not run).</summary>
    /// <remarks>The backlog and scaler observations are those the inputs hold, so what is remembered is what the status was built from.</remarks>
    private ObservedChildren ObservedForStatus(CeleryResource resource, ReconcileInputs inputs) => new(
        state.CacheFor(CeleryApiResources.Deployments).ControlledBy(resource.Metadata.Uid)
            .OfType<V1Deployment>()
            .ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal))
    {
        Backlog = inputs.Backlog,
        BacklogPending = inputs.BacklogPending,
        Scaling = inputs.Scaling,
        ScalerRuns = scaling is not null,
        ClaimPhases = state.CacheFor(CeleryApiResources.PersistentVolumeClaims).ControlledBy(resource.Metadata.Uid)
            .OfType<V1PersistentVolumeClaim>()
            .ToDictionary(c => c.Metadata.Name, c => c.Status?.Phase, StringComparer.Ordinal),
    };
}
