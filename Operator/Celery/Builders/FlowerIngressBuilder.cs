using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>An optional Ingress for Flower.</summary>
public static class FlowerIngressBuilder
{
    public static V1Ingress Build(BuildContext context, FlowerSpec flower, FlowerIngressSpec ingress) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = ChildMetadata.For(context, context.Names.FlowerIngress, CeleryLabels.Components.Flower, annotations: ingress.Annotations),
        Spec = new V1IngressSpec
        {
            IngressClassName = ingress.ClassName,
            Tls = ingress.Tls is { } tls ? [new V1IngressTLS { Hosts = [ingress.Host!], SecretName = tls.SecretName }] : null,
            Rules =
            [
                new V1IngressRule
                {
                    Host = ingress.Host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = Path(flower, ingress),
                                PathType = "Prefix",
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend
                                    {
                                        Name = context.Names.FlowerService,
                                        Port = new V1ServiceBackendPort { Name = FlowerDeploymentBuilder.PortName },
                                    },
                                },
                            },
                        ],
                    },
                },
            ],
        },
    };

    public static string Path(FlowerSpec flower, FlowerIngressSpec ingress) =>
        ingress.Path ?? (flower.UrlPrefix is { Length: > 0 } prefix ? "/" + prefix : "/");

    /// <summary>The public URL Flower is reached at through the Ingress.</summary>
    public static string Url(FlowerSpec flower, FlowerIngressSpec ingress) =>
        $"{(ingress.Tls is null ? "http" : "https")}://{ingress.Host}{Path(flower, ingress)}";
}
