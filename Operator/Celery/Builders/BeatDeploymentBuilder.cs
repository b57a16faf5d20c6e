using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>The beat Deployment: exactly one replica, replaced with Recreate so two schedulers never overlap.</summary>
public static class BeatDeploymentBuilder
{
    public const string ContainerName = "beat";
    private const string ScheduleVolume = "beat-schedule";

    public static V1Deployment Build(BuildContext context, BeatSpec beat)
    {
        var container = new V1Container
        {
            Name = ContainerName,
            Command = CeleryCommandLine.Command,
            Args = CeleryCommandLine.Beat(context.Spec, beat),
            Env = CeleryEnvironment.For(context.Spec),
            Resources = beat.Resources,
            VolumeMounts = [new V1VolumeMount { Name = ScheduleVolume, MountPath = CeleryCommandLine.BeatScheduleDirectory }],
        };
        var component = CeleryLabels.Components.Beat;
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = ChildMetadata.For(context, context.Names.BeatDeployment, component),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = CeleryLabels.Selector(context, component) },
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Template = PodTemplateFactory.Build(context, component, null, container, 30,
                    [new V1Volume { Name = ScheduleVolume, EmptyDir = new V1EmptyDirVolumeSource() }]),
            },
        };
    }
}
