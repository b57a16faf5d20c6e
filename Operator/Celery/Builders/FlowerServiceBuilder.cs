using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>The Service in front of Flower.</summary>
public static class FlowerServiceBuilder
{
    public static V1Service Build(BuildContext context, FlowerSpec flower)
    {
        var service = flower.Service ?? new FlowerServiceSpec();
        var component = CeleryLabels.Components.Flower;
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = ChildMetadata.For(context, context.Names.FlowerService, component, annotations: service.Annotations),
            Spec = new V1ServiceSpec
            {
                Type = service.Type,
                Selector = CeleryLabels.Selector(context, component),
                Ports = [new V1ServicePort { Name = FlowerDeploymentBuilder.PortName, Port = ServicePort(flower), TargetPort = FlowerDeploymentBuilder.PortName, Protocol = "TCP" }],
            },
        };
    }

    public static int ServicePort(FlowerSpec flower) => flower.Service?.Port ?? flower.Port;

    /// <summary>Flower's in-cluster URL, as reported in status.</summary>
    public static string InClusterUrl(BuildContext context, FlowerSpec flower) =>
        $"http://{context.Names.FlowerService}.{context.Namespace}.svc:{ServicePort(flower)}{(flower.UrlPrefix is { Length: > 0 } p ? "/" + p : "")}";
}
