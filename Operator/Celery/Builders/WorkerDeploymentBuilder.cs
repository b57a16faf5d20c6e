using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>One Deployment per worker group.</summary>
public static class WorkerDeploymentBuilder
{
    public const string ContainerName = "worker";

    /// <summary>Default grace period: long enough for a warm shutdown of short tasks.</summary>
    public const long DefaultTerminationGracePeriodSeconds = 60;

    public static V1Deployment Build(BuildContext context, WorkerGroupSpec group)
    {
        var container = new V1Container
        {
            Name = ContainerName,
            Command = CeleryCommandLine.Command,
            Args = CeleryCommandLine.Worker(context.Spec, group),
            Env = CeleryEnvironment.For(context.Spec),
            Resources = group.Resources,
            LivenessProbe = group.LivenessProbe,
            ReadinessProbe = group.ReadinessProbe,
        };
        // An autoscaled group's replica count belongs to its autoscaler: we must not own the field.
        return DeploymentEnvelope.Build(
            context,
            context.Names.WorkerDeployment(group.Name),
            CeleryLabels.Components.Worker,
            group.Name,
            container,
            group.Autoscaling is null ? group.Replicas ?? WorkerGroupSpec.DefaultReplicas : null,
            group.Strategy,
            ComponentPodSettings.ForCeleryContainer(context.Spec, group),
            DefaultTerminationGracePeriodSeconds,
            new Dictionary<string, string>
            {
                [CeleryLabels.ReplicasOwnerAnnotation] = group.Autoscaling is null ? CeleryLabels.ReplicasOwnerOperator : CeleryLabels.ReplicasOwnerAutoscaler,
            });
    }
}
