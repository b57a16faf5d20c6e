using k8s.Models;

namespace Operator.Celery.Builders;

/// <summary>
/// The part every Deployment of a Celery resource shares: metadata, a selector on the component (and group)
/// identity labels, and a pod template around one container. The worker, beat and Flower builders differ only
/// in the container, the replica count and the strategy.
/// </summary>
public static class DeploymentEnvelope
{
    public static V1Deployment Build(
        BuildContext context,
        string name,
        string component,
        string? group,
        V1Container container,
        int? replicas,
        V1DeploymentStrategy? strategy,
        ComponentPodSettings settings,
        long defaultTerminationGracePeriodSeconds,
        IDictionary<string, string>? annotations = null,
        IEnumerable<V1Volume>? extraVolumes = null) => new()
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = ChildMetadata.For(context, name, component, group, annotations),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = CeleryLabels.Selector(context, component, group) },
                Strategy = strategy,
                Template = PodTemplateFactory.Build(context, component, group, container, settings, defaultTerminationGracePeriodSeconds, extraVolumes),
            },
        };
}
