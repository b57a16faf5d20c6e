// The builtin scaler's loop, on the leader, outside the reconcile workers, one pass after each backlog pass. For every
// group with autoscaling.queueLength.engine builtin it decides a replica count from the backlog the reader observed
// (ScaleDecision, with the history of the group's past decisions) and sets it through the Deployment's scale
// subresource. Invariants: it never scales a Deployment another HorizontalPodAutoscaler or ScaledObject targets (the
// group shows ScaleTargetContested and one Warning event when that starts); it leaves the count alone while the
// backlog is unread, while the Deployment is missing or still carries the operator's replicas (the reconcile hands the
// field over first), and for an invalid spec; it records an event only when it changes the count, and enqueues the
// resource for a status write only when what the status shows changed; a failed API call costs only this pass.
using k8s.Models;
using Operator.Celery.Backlog;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Naming;
using Operator.Celery.Reconciliation;
using Operator.Celery.Validation;
using Operator.Runtime;
using Operator.Runtime.Events;
using Operator.Runtime.Source;

namespace Operator.Celery.Scaling;

/// <summary>Scales builtin-scaled worker groups from their backlog.</summary>
public sealed partial class BuiltinScaler(
    CeleryClusterState state,
    BacklogStore backlog,
    BuiltinScalerStore store,
    IScaleTargetApi api,
    BacklogPasses passes,
    Action<ObjectKey> enqueue,
    IEventRecorder events,
    TimeProvider time,
    ILogger<BuiltinScaler> logger)
{
    public const string ScaledUpReason = "ScaledUp";
    public const string ScaledDownReason = "ScaledDown";

    /// <summary>Scales after every backlog pass until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger);
        try
        {
            var pass = passes.Next();
            while (!cancellationToken.IsCancellationRequested)
            {
                await pass.WaitAsync(cancellationToken).ConfigureAwait(false);
                pass = passes.Next();
                try
                {
                    await ScaleOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(logger, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass over every builtin-scaled group; public for tests that drive passes themselves.</summary>
    public async Task ScaleOnceAsync(CancellationToken cancellationToken)
    {
        var scaled = new HashSet<ObjectKey>();
        var resources = state.Celeries.List()
            .Where(r => r.Metadata.DeletionTimestamp is null && BuiltinGroups(r).Any() && CeleryValidator.Validate(r).Count == 0)
            .ToList();
        foreach (var inNamespace in resources.GroupBy(r => r.Metadata.NamespaceProperty ?? "default"))
        {
            IReadOnlyDictionary<string, string>? claimed;
            try
            {
                claimed = await api.ClaimedDeploymentsAsync(inNamespace.Key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogClaimsFailed(logger, inNamespace.Key, e.Message);
                claimed = null;
            }

            foreach (var resource in inNamespace)
            {
                var key = ObjectKeys.Of(resource);
                scaled.Add(key);
                await ScaleResourceAsync(resource, key, claimed, cancellationToken).ConfigureAwait(false);
            }
        }

        store.Retain(scaled);
    }

    private async Task ScaleResourceAsync(CeleryResource resource, ObjectKey key, IReadOnlyDictionary<string, string>? claimed, CancellationToken cancellationToken)
    {
        var names = new ChildNames(resource.Metadata.Name);
        var deployments = state.CacheFor(CeleryApiResources.Deployments).ControlledBy(resource.Metadata.Uid).OfType<V1Deployment>()
            .ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
        var observation = backlog.Get(key);
        var previous = store.Get(key) ?? new Dictionary<string, GroupScaling>();
        var next = new Dictionary<string, GroupScaling>(StringComparer.Ordinal);
        foreach (var group in BuiltinGroups(resource))
        {
            var name = names.WorkerDeployment(group.Name);
            var before = previous.GetValueOrDefault(group.Name) ?? GroupScaling.Initial;
            var after = await ScaleGroupAsync(resource, group, name, deployments.GetValueOrDefault(name), observation, claimed, before, cancellationToken).ConfigureAwait(false);
            next[group.Name] = after;
        }

        store.Set(key, next);
        if (!GroupScaling.SameStatusAs(next, previous))
        {
            enqueue(key);
        }
    }

    private async Task<GroupScaling> ScaleGroupAsync(
        CeleryResource resource,
        WorkerGroupSpec group,
        string deploymentName,
        V1Deployment? deployment,
        BacklogObservation? observation,
        IReadOnlyDictionary<string, string>? claimed,
        GroupScaling before,
        CancellationToken cancellationToken)
    {
        var current = deployment?.Spec?.Replicas;
        if (claimed is null)
        {
            return before with { CurrentReplicas = current, Problem = new ScalingProblem(CeleryConditions.Reasons.ScaleTargetUnknown, $"worker group {group.Name}: could not list the autoscalers of the namespace to make sure none targets Deployment {deploymentName}; the replica count is left as it is") };
        }

        if (claimed.TryGetValue(deploymentName, out var other))
        {
            if (before.ContestedBy != other)
            {
                await events.RecordAsync(resource, EventSeverity.Warning, CeleryConditions.Reasons.ScaleTargetContested, "Scale", Contested(group, deploymentName, other), cancellationToken).ConfigureAwait(false);
            }

            // A history from before the other autoscaler says nothing about the count it set since.
            return GroupScaling.Initial with { CurrentReplicas = current, ContestedBy = other, LastScaleTime = before.LastScaleTime, LastScaleReason = before.LastScaleReason };
        }

        before = before with { ContestedBy = null };
        if (deployment is null || current is null || !IsHandedOver(deployment))
        {
            return before with { CurrentReplicas = current, Problem = new ScalingProblem(CeleryConditions.Reasons.WaitingForDeployment, $"worker group {group.Name}: waiting for Deployment {deploymentName} to be applied without the operator's replica count") };
        }

        if (observation is null || observation.Failure is not null)
        {
            return before with { CurrentReplicas = current, Problem = new ScalingProblem(CeleryConditions.Reasons.BacklogNotRead, $"worker group {group.Name}: the backlog is not read (see the BacklogRead condition); the replica count stays at {current}") };
        }

        var now = time.GetUtcNow();
        var outcome = ScaleDecision.Decide(ScaleTarget.Of(group.Autoscaling!), current.Value, observation.GroupBacklog(group.Name), before.History, now);
        if (outcome.Change is null)
        {
            return before with { DesiredReplicas = outcome.Replicas, CurrentReplicas = current, Problem = null, History = outcome.History };
        }

        var ns = resource.Metadata.NamespaceProperty ?? "default";
        try
        {
            await api.SetReplicasAsync(ns, deploymentName, outcome.Replicas, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = e is KubernetesApiException or k8s.Autorest.HttpOperationException ? e.Message : e.GetType().Name;
            LogScaleFailed(logger, ns, deploymentName, outcome.Replicas, message);
            return before with { DesiredReplicas = outcome.Replicas, CurrentReplicas = current, Problem = new ScalingProblem(CeleryConditions.Reasons.ScaleFailed, $"worker group {group.Name}: setting Deployment {deploymentName} to {outcome.Replicas} replicas failed: {message}"), History = outcome.Unapplied };
        }

        var up = outcome.Replicas > current.Value;
        var reason = $"{current.Value} to {outcome.Replicas} replicas: {outcome.Message}";
        LogScaled(logger, ns, deploymentName, current.Value, outcome.Replicas, outcome.Message);
        await events.RecordAsync(resource, EventSeverity.Normal, up ? ScaledUpReason : ScaledDownReason, "Scale", $"worker group {group.Name}: {reason}", cancellationToken).ConfigureAwait(false);
        return new GroupScaling(outcome.Replicas, outcome.Replicas, now.UtcDateTime, reason, null, null, outcome.History);
    }

    /// <summary>The message of a contested group, on its condition and event.</summary>
    public static string Contested(WorkerGroupSpec group, string deployment, string other)
    {
        ArgumentNullException.ThrowIfNull(group);
        return $"worker group {group.Name}: Deployment {deployment} is also the target of {other}; the builtin scaler leaves its replicas alone until that autoscaler is removed (or the group's engine is keda)";
    }

    // The reconcile has applied the Deployment without the operator's replica count (and handed the field over).
    private static bool IsHandedOver(V1Deployment deployment) =>
        deployment.Metadata.Annotations is { } annotations
        && annotations.TryGetValue(CeleryLabels.ReplicasOwnerAnnotation, out var owner) && owner == CeleryLabels.ReplicasOwnerAutoscaler;

    private static IEnumerable<WorkerGroupSpec> BuiltinGroups(CeleryResource resource) =>
        resource.Spec.Workers.Where(w => w.Autoscaling?.QueueLength is { IsBuiltin: true });

    [LoggerMessage(Level = LogLevel.Information, Message = "Builtin scaler started: one pass after each backlog read")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scaled {Namespace}/{Deployment} from {From} to {To} replicas: {Why}")]
    private static partial void LogScaled(ILogger logger, string @namespace, string deployment, int from, int to, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scaling {Namespace}/{Deployment} to {Replicas} failed: {Error}")]
    private static partial void LogScaleFailed(ILogger logger, string @namespace, string deployment, int replicas, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the autoscalers of namespace {Namespace} failed: {Error}")]
    private static partial void LogClaimsFailed(ILogger logger, string @namespace, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Builtin scaler pass failed: {Error}")]
    private static partial void LogPassFailed(ILogger logger, string error);
}
