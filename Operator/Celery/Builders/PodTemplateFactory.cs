// The one place a pod template is assembled, so worker, beat and Flower pods apply their merged pod settings
// (ComponentPodSettings) and the restricted Pod Security defaults the same way, and differ only in their
// main container and the settings each component was given.
using k8s.Models;

namespace Operator.Celery.Builders;

/// <summary>Builds pod templates around one Celery container.</summary>
public static class PodTemplateFactory
{
    /// <summary>UID/GID the pods run as by default: restricted PSS needs a non-root user the kubelet can verify.</summary>
    public const long DefaultUserId = 1000;

    public static V1PodTemplateSpec Build(BuildContext context, string component, string? group, V1Container container, ComponentPodSettings settings, long defaultTerminationGracePeriodSeconds, IEnumerable<V1Volume>? extraVolumes = null)
    {
        var template = settings.Template;
        var labels = new SortedDictionary<string, string>(template.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in CeleryLabels.ForObject(context, component, group))
        {
            labels[key] = value;
        }

        var annotations = new SortedDictionary<string, string>(template.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (context.Broker.SecretChecksum is { } checksum)
        {
            annotations[CeleryLabels.SecretChecksumAnnotation] = checksum;
        }

        container.Image = settings.Image;
        container.ImagePullPolicy = context.Spec.ImagePullPolicy;
        // A user variable replaces the operator's of the same name; duplicates would be rejected by server-side apply.
        var env = ComponentPodSettings.MergeByKey(container.Env, settings.Env, e => e.Name);
        container.Env = env.Count > 0 ? env : null;
        container.EnvFrom = settings.EnvFrom.Count > 0 ? [.. settings.EnvFrom] : null;
        container.SecurityContext = template.ContainerSecurityContext ?? RestrictedContainerSecurityContext();
        container.Lifecycle = settings.Component.Lifecycle;
        var mounts = ComponentPodSettings.MergeByKey(container.VolumeMounts, template.VolumeMounts, m => m.MountPath);
        container.VolumeMounts = mounts.Count > 0 ? mounts : null;

        var volumes = ComponentPodSettings.MergeByKey(extraVolumes, template.Volumes, v => v.Name);
        var own = settings.Component;
        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = labels, Annotations = annotations.Count > 0 ? annotations : null },
            Spec = new V1PodSpec
            {
                ServiceAccountName = template.ServiceAccountName,
                // Celery pods never call the Kubernetes API; do not hand them a token.
                AutomountServiceAccountToken = false,
                NodeSelector = template.NodeSelector is { Count: > 0 } ns ? new Dictionary<string, string>(ns, StringComparer.Ordinal) : null,
                Tolerations = template.Tolerations is { Count: > 0 } t ? [.. t] : null,
                Affinity = template.Affinity,
                TopologySpreadConstraints = template.TopologySpreadConstraints is { Count: > 0 } tsc ? [.. tsc] : null,
                PriorityClassName = template.PriorityClassName,
                SecurityContext = template.SecurityContext ?? RestrictedPodSecurityContext(),
                ImagePullSecrets = context.Spec.ImagePullSecrets is { Count: > 0 } ips ? [.. ips] : null,
                TerminationGracePeriodSeconds = own.TerminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds,
                InitContainers = own.InitContainers is { Count: > 0 } init ? [.. init] : null,
                Containers = [container, .. own.Sidecars ?? []],
                Volumes = volumes.Count > 0 ? volumes : null,
            },
        };
    }

    /// <summary>Pod-level settings of the "restricted" Pod Security Standard.</summary>
    public static V1PodSecurityContext RestrictedPodSecurityContext() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = DefaultUserId,
        RunAsGroup = DefaultUserId,
        FsGroup = DefaultUserId,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>Container-level settings of the "restricted" Pod Security Standard.</summary>
    public static V1SecurityContext RestrictedContainerSecurityContext() => new()
    {
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        RunAsNonRoot = true,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };
}
