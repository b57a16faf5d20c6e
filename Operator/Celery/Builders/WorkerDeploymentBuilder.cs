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
        var component = CeleryLabels.Components.Worker;
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = ChildMetadata.For(context, context.Names.WorkerDeployment(group.Name), component, group.Name, new Dictionary<string, string>
            {
                [CeleryLabels.ReplicasOwnerAnnotation] = group.Autoscaling is null ? CeleryLabels.ReplicasOwnerOperator : CeleryLabels.ReplicasOwnerAutoscaler,
            }),
            Spec = new V1DeploymentSpec
            {
                // An autoscaled group's replica count belongs to its autoscaler: we must not own the field.
                Replicas = group.Autoscaling is null ? group.Replicas ?? WorkerGroupSpec.DefaultReplicas : null,
                Selector = new V1LabelSelector { MatchLabels = CeleryLabels.Selector(context, component, group.Name) },
                Strategy = group.Strategy,
                Template = PodTemplateFactory.Build(context, component, group.Name, container, group.TerminationGracePeriodSeconds ?? DefaultTerminationGracePeriodSeconds),
            },
        };
    }
}
