using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>The beat Deployment: exactly one replica, replaced with Recreate so two schedulers never overlap.</summary>
public static class BeatDeploymentBuilder
{
    public const string ContainerName = "beat";
    public const long DefaultTerminationGracePeriodSeconds = 30;
    /// <summary>
    /// The schedule's volume: an emptyDir, unless beat.podTemplate.volumes has a volume of this name (for example a
    /// persistentVolumeClaim), which replaces it by the merge rule.
    /// </summary>
    public const string ScheduleVolume = "beat-schedule";

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
        return DeploymentEnvelope.Build(
            context,
            context.Names.BeatDeployment,
            CeleryLabels.Components.Beat,
            null,
            container,
            replicas: 1,
            new V1DeploymentStrategy { Type = "Recreate" },
            ComponentPodSettings.ForCeleryContainer(context.Spec, beat),
            DefaultTerminationGracePeriodSeconds,
            extraVolumes: [new V1Volume { Name = ScheduleVolume, EmptyDir = new V1EmptyDirVolumeSource() }]);
    }
}
