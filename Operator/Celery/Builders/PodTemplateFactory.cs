// The one place a pod template is assembled, so worker, beat and Flower pods share every setting from
// spec.podTemplate and the restricted Pod Security defaults, and differ only in their container.
using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>Builds pod templates around one Celery container.</summary>
public static class PodTemplateFactory
{
    /// <summary>UID/GID the pods run as by default: restricted PSS needs a non-root user the kubelet can verify.</summary>
    public const long DefaultUserId = 1000;

    public static V1PodTemplateSpec Build(BuildContext context, string component, string? group, V1Container container, long terminationGracePeriodSeconds, IEnumerable<V1Volume>? extraVolumes = null)
    {
        var template = context.Spec.PodTemplate ?? new CeleryPodTemplate();
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

        container.Image ??= context.Spec.Image;
        container.ImagePullPolicy = context.Spec.ImagePullPolicy;
        container.EnvFrom = context.Spec.EnvFrom is { Count: > 0 } envFrom ? [.. envFrom] : null;
        container.SecurityContext = template.ContainerSecurityContext ?? RestrictedContainerSecurityContext();
        var mounts = (container.VolumeMounts ?? []).Concat(template.VolumeMounts ?? []).ToList();
        container.VolumeMounts = mounts.Count > 0 ? mounts : null;

        var volumes = (extraVolumes ?? []).Concat(template.Volumes ?? []).ToList();
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
                TerminationGracePeriodSeconds = terminationGracePeriodSeconds,
                Containers = [container],
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
