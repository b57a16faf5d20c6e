// Status from what is observed: the desired children, the live Deployments, and the problems found. Pure,
// with the clock passed in; a condition keeps its lastTransitionTime while its status does not change, so
// a status rebuilt from the same observations is equal to the previous one and costs no write.
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Naming;
using Operator.Celery.Scaling;

namespace Operator.Celery.Reconciliation;

/// <summary>Builds a Celery resource's status.</summary>
public static class CeleryStatusBuilder
{
    public static CeleryStatus Build(CeleryResource resource, ObservedChildren observed, ReconcileFindings findings, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(findings);
        var names = new ChildNames(resource.Metadata.Name);
        var spec = resource.Spec;
        var previous = resource.Status?.Conditions ?? [];
        var backlog = Backlog.BacklogStatus.Of(resource, observed.Backlog);

        // Until this operator's reader has read once (just after a restart or a change of leader) the backlog parts
        // stay as status shows them: dropping them and adding them back one read later cost two status writes per
        // resource (40,000 at 10,000 resources) and moved the backlog conditions' transition times at every restart.
        var carried = backlog is null && observed.BacklogPending && resource.Spec.Broker.Backlog is not { Enabled: false } ? resource.Status : null;
        var workers = new List<WorkerGroupStatus>();
        var rollouts = new List<DeploymentRollout>();
        int desiredWorkers = 0, readyWorkers = 0;

        foreach (var group in spec.Workers)
        {
            var name = names.WorkerDeployment(group.Name);
            var rollout = DeploymentRollout.Of(name, observed.Deployments.GetValueOrDefault(name), group.Autoscaling is null ? group.Replicas ?? WorkerGroupSpec.DefaultReplicas : null);
            rollouts.Add(rollout);
            desiredWorkers += rollout.Desired;
            readyWorkers += Math.Min(rollout.Ready, rollout.Desired);
            workers.Add(new WorkerGroupStatus
            {
                Name = group.Name,
                Deployment = name,
                Replicas = rollout.Live?.Status?.Replicas ?? 0,
                ReadyReplicas = rollout.Ready,
                UpdatedReplicas = rollout.Live?.Status?.UpdatedReplicas ?? 0,
                Autoscaler = Autoscaler(names, group, findings, observed),
                Backlog = backlog?.GroupBacklog(group.Name) ?? carried?.Workers?.FirstOrDefault(w => w.Name == group.Name)?.Backlog,
                Scaler = group.Autoscaling?.QueueLength is { IsBuiltin: true } && observed.Scaling?.GetValueOrDefault(group.Name) is { } scaling
                    ? new BuiltinScalerStatus { DesiredReplicas = scaling.DesiredReplicas, CurrentReplicas = scaling.CurrentReplicas, LastScaleTime = scaling.LastScaleTime, LastScaleReason = scaling.LastScaleReason }
                    : null,
            });
        }

        BeatStatus? beat = null;
        if (spec.Beat is { Enabled: true } beatSpec)
        {
            var rollout = DeploymentRollout.Of(names.BeatDeployment, observed.Deployments.GetValueOrDefault(names.BeatDeployment), 1);
            rollouts.Add(rollout);
            beat = new BeatStatus
            {
                Deployment = rollout.Name,
                Replicas = rollout.Live?.Status?.Replicas ?? 0,
                ReadyReplicas = rollout.Ready,
                ScheduleClaim = beatSpec.Persistence is null ? null : Claim(observed, names.BeatScheduleClaim),
            };
        }

        FlowerStatus? flower = null;
        var flowerSpec = spec.Flower ?? new FlowerSpec();
        if (flowerSpec.Enabled)
        {
            var rollout = DeploymentRollout.Of(names.FlowerDeployment, observed.Deployments.GetValueOrDefault(names.FlowerDeployment), flowerSpec.Replicas);
            rollouts.Add(rollout);
            var context = new BuildContext(resource, BrokerContext.Unresolved);
            flower = new FlowerStatus
            {
                Deployment = rollout.Name,
                ReadyReplicas = rollout.Ready,
                Service = names.FlowerService,
                Url = flowerSpec.Ingress is { Enabled: true } ingress ? FlowerIngressBuilder.Url(flowerSpec, ingress) : FlowerServiceBuilder.InClusterUrl(context, flowerSpec),
                StateClaim = flowerSpec.Persistence is null ? null : Claim(observed, names.FlowerStateClaim),
                ServiceMonitor = flowerSpec.ServiceMonitor is { Enabled: true } && !findings.ServiceMonitorNotServed ? names.FlowerServiceMonitor : null,
            };
        }

        var conditions = new List<V1Condition>();
        var generation = resource.Metadata.Generation;
        var problem = findings.Problems.FirstOrDefault();
        var notReady = rollouts.Where(r => !r.Available).Select(r => r.Name).ToList();
        var progressing = rollouts.Where(r => r.RollingOut).Select(r => r.Name).ToList();

        conditions.Add(problem is not null
            ? Condition(previous, CeleryConditions.Ready, false, problem.Reason, problem.Message, generation, now)
            : notReady.Count > 0
                ? Condition(previous, CeleryConditions.Ready, false, CeleryConditions.Reasons.ChildrenNotReady, $"waiting for {string.Join(", ", notReady)}", generation, now)
                : Condition(previous, CeleryConditions.Ready, true, CeleryConditions.Reasons.AllChildrenReady, "all children are applied and available", generation, now));
        conditions.Add(progressing.Count > 0
            ? Condition(previous, CeleryConditions.Progressing, true, CeleryConditions.Reasons.RolloutInProgress, $"rolling out {string.Join(", ", progressing)}", generation, now)
            : Condition(previous, CeleryConditions.Progressing, false, CeleryConditions.Reasons.RolloutComplete, "no rollout in progress", generation, now));
        conditions.Add(problem is not null
            ? Condition(previous, CeleryConditions.Degraded, true, problem.Reason, string.Join("; ", findings.Problems.Select(p => p.Message)), generation, now)
            : Condition(previous, CeleryConditions.Degraded, false, CeleryConditions.Reasons.AsExpected, "no problems", generation, now));
        if (spec.Workers.Any(w => w.Autoscaling is not null))
        {
            // Unknown for a missing request: the autoscaler exists, and whether it can scale depends on a LimitRange
            // default the operator does not see.
            conditions.Add(findings.AutoscalingUnavailableReason is { } reason
                ? Condition(previous, CeleryConditions.AutoscalingActive, "False", reason, findings.AutoscalingUnavailableMessage ?? reason, generation, now)
                : findings.AutoscalingWarnings.Count > 0
                    ? Condition(previous, CeleryConditions.AutoscalingActive, "Unknown", CeleryConditions.Reasons.ResourceRequestMissing, string.Join("; ", findings.AutoscalingWarnings), generation, now)
                    : Condition(previous, CeleryConditions.AutoscalingActive, true, CeleryConditions.Reasons.AutoscalersApplied, "every autoscaled group has its autoscaler", generation, now));
        }

        if (BuiltinScalingCondition(resource, observed, findings) is { } scalingCondition)
        {
            conditions.Add(Condition(previous, CeleryConditions.Scaling, scalingCondition.Status, scalingCondition.Reason, scalingCondition.Message, generation, now));
        }

        foreach (var condition in backlog?.Conditions ?? [])
        {
            conditions.Add(Condition(previous, condition.Type, condition.Status, condition.Reason, condition.Message, generation, now));
        }

        if (carried is not null)
        {
            conditions.AddRange(previous.Where(c => c.Type is CeleryConditions.BacklogRead or CeleryConditions.QueuesConsumed));
        }

        return new CeleryStatus
        {
            ObservedGeneration = generation,
            Conditions = conditions,
            WorkersReady = $"{readyWorkers}/{desiredWorkers}",
            Workers = workers,
            Beat = beat,
            Flower = flower,
            Backlog = backlog?.Total ?? carried?.Backlog,
            Queues = backlog?.Queues ?? carried?.Queues,
            Warnings = findings.Warnings.Count > 0 ? [.. findings.Warnings] : null,
        };
    }

    private static ClaimStatus Claim(ObservedChildren observed, string name) =>
        new() { Name = name, Phase = observed.ClaimPhases.GetValueOrDefault(name) };

    // The Scaling condition, while a group uses the builtin scaler: False when it cannot scale some group (another
    // autoscaler targets the Deployment, the backlog is unread or off, a write failed), Unknown before it can start.
    private static (string Status, string Reason, string Message)? BuiltinScalingCondition(CeleryResource resource, ObservedChildren observed, ReconcileFindings findings)
    {
        var groups = resource.Spec.Workers.Where(w => w.Autoscaling?.QueueLength is { IsBuiltin: true }).ToList();
        if (groups.Count == 0)
        {
            return null;
        }

        if (findings.AutoscalingUnavailableReason == CeleryConditions.Reasons.InvalidSpec)
        {
            return ("False", CeleryConditions.Reasons.InvalidSpec, "the builtin scaler does not scale while the spec is invalid");
        }

        if (resource.Spec.Broker.Backlog is { Enabled: false })
        {
            return ("False", CeleryConditions.Reasons.BacklogDisabled, "spec.broker.backlog.enabled is false: the builtin scaler has no backlog to scale on");
        }

        if (!observed.ScalerRuns)
        {
            return ("False", CeleryConditions.Reasons.BacklogDisabled, "the operator's backlog reader is disabled (Operator:Backlog:Enabled=false): the builtin scaler does not run");
        }

        var names = new ChildNames(resource.Metadata.Name);
        var states = groups.Select(g => (Group: g, State: observed.Scaling?.GetValueOrDefault(g.Name))).ToList();
        var contested = states.Where(s => s.State?.ContestedBy is not null).ToList();
        if (contested.Count > 0)
        {
            return ("False", CeleryConditions.Reasons.ScaleTargetContested,
                string.Join("; ", contested.Select(c => BuiltinScaler.Contested(c.Group, names.WorkerDeployment(c.Group.Name), c.State!.ContestedBy!))));
        }

        var problems = states.Select(s => s.State?.Problem).OfType<ScalingProblem>().ToList();
        if (problems.FirstOrDefault(p => p.Reason != CeleryConditions.Reasons.WaitingForDeployment) is { } blocking)
        {
            return ("False", blocking.Reason, string.Join("; ", problems.Select(p => p.Message)));
        }

        if (problems.Count > 0)
        {
            return ("Unknown", problems[0].Reason, string.Join("; ", problems.Select(p => p.Message)));
        }

        return states.Any(s => s.State is null)
            ? ("Unknown", CeleryConditions.Reasons.WaitingForScaler, "waiting for the builtin scaler's first pass after a backlog reading")
            : ("True", CeleryConditions.Reasons.ScalerActive, $"the operator scales {string.Join(", ", groups.Select(g => g.Name))} from the backlog");
    }

    // An invalid spec applies no autoscaler at all; the other reasons (KEDA, the broker Secret) hold back only ScaledObjects.
    private static AutoscalerReference? Autoscaler(ChildNames names, WorkerGroupSpec group, ReconcileFindings findings, ObservedChildren observed) => group.Autoscaling switch
    {
        null => null,
        { QueueLength.IsBuiltin: true } => new AutoscalerReference
        {
            Kind = "Deployment",
            Name = names.WorkerDeployment(group.Name),
            Active = findings.AutoscalingUnavailableReason != CeleryConditions.Reasons.InvalidSpec && observed.ScalerRuns
                && observed.Scaling?.GetValueOrDefault(group.Name) is { ContestedBy: null, Problem: null },
        },
        { QueueLength: not null } => new AutoscalerReference { Kind = "ScaledObject", Name = names.WorkerScaledObject(group.Name), Active = findings.AutoscalingUnavailableReason is null },
        _ => new AutoscalerReference { Kind = "HorizontalPodAutoscaler", Name = names.WorkerHorizontalPodAutoscaler(group.Name), Active = findings.AutoscalingUnavailableReason != CeleryConditions.Reasons.InvalidSpec },
    };

    private static V1Condition Condition(IList<V1Condition> previous, string type, bool status, string reason, string message, long? generation, DateTime now) =>
        Condition(previous, type, status ? "True" : "False", reason, message, generation, now);

    private static V1Condition Condition(IList<V1Condition> previous, string type, string value, string reason, string message, long? generation, DateTime now)
    {
        var before = previous.FirstOrDefault(c => c.Type == type);
        return new V1Condition
        {
            Type = type,
            Status = value,
            Reason = reason,
            Message = message.Length > 32768 ? message[..32768] : message,
            ObservedGeneration = generation,
            LastTransitionTime = before is not null && before.Status == value ? before.LastTransitionTime : now,
        };
    }

    /// <summary>The rollout state of one Deployment (null when it does not exist yet).</summary>
    private sealed record DeploymentRollout(string Name, V1Deployment? Live, int Desired, int Ready, bool Available, bool RollingOut)
    {
        public static DeploymentRollout Of(string name, V1Deployment? live, int? desiredReplicas)
        {
            if (live is null)
            {
                return new DeploymentRollout(name, null, desiredReplicas ?? 1, 0, false, false);
            }

            // An autoscaled Deployment's desired count is whatever its autoscaler set.
            var desired = desiredReplicas ?? live.Spec?.Replicas ?? 1;
            var status = live.Status;
            var ready = status?.ReadyReplicas ?? 0;
            var observedCurrent = status?.ObservedGeneration >= live.Metadata.Generation;
            var updated = status?.UpdatedReplicas ?? 0;
            var available = status?.AvailableReplicas ?? 0;
            var rollingOut = !observedCurrent || updated < desired || (status?.Replicas ?? 0) > updated;
            return new DeploymentRollout(name, live, desired, ready, observedCurrent && available >= desired && updated >= desired, rollingOut);
        }
    }
}
