using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>The beat Deployment: exactly one replica, replaced with Recreate so two schedulers never overlap.</summary>
public static class BeatDeploymentBuilder
{
    public const string ContainerName = "beat";
    public const long DefaultTerminationGracePeriodSeconds = 30;
    /// <summary>
    /// The schedule's volume: the claim of beat.persistence when set, else an emptyDir (which a volume of this name
    /// in beat.podTemplate.volumes replaces by the merge rule).
    /// </summary>
    public const string ScheduleVolume = BeatSpec.ScheduleVolume;

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
        var scheduleVolume = beat.Persistence is null
            ? new V1Volume { Name = ScheduleVolume, EmptyDir = new V1EmptyDirVolumeSource() }
            : PersistentVolumeClaimBuilder.Volume(ScheduleVolume, context.Names.BeatScheduleClaim);
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
            extraVolumes: [scheduleVolume]);
    }
}
