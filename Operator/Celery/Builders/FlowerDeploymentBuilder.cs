using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>Flower's Deployment, probed on its /healthcheck endpoint.</summary>
public static class FlowerDeploymentBuilder
{
    public const string ContainerName = "flower";
    public const string PortName = "http";

    public static V1Deployment Build(BuildContext context, FlowerSpec flower)
    {
        var extraEnv = new List<V1EnvVar>();
        if (flower.BasicAuthSecretRef is { } basicAuth)
        {
            extraEnv.Add(CeleryEnvironment.FromSecret("FLOWER_BASIC_AUTH", basicAuth));
        }

        if (flower.BrokerApiSecretRef is { } brokerApi)
        {
            extraEnv.Add(CeleryEnvironment.FromSecret("FLOWER_BROKER_API", brokerApi));
        }

        var probe = new V1HTTPGetAction { Path = CeleryCommandLine.FlowerHealthPath(flower), Port = PortName };
        var container = new V1Container
        {
            Name = ContainerName,
            Image = flower.Image,
            Command = CeleryCommandLine.Command,
            Args = CeleryCommandLine.Flower(context.Spec, flower),
            Env = CeleryEnvironment.For(context.Spec, extraEnv),
            Ports = [new V1ContainerPort { Name = PortName, ContainerPort = flower.Port, Protocol = "TCP" }],
            Resources = flower.Resources,
            ReadinessProbe = new V1Probe { HttpGet = probe, PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = 3 },
            LivenessProbe = new V1Probe { HttpGet = probe, InitialDelaySeconds = 30, PeriodSeconds = 30, TimeoutSeconds = 5, FailureThreshold = 5 },
        };
        return DeploymentEnvelope.Build(context, context.Names.FlowerDeployment, CeleryLabels.Components.Flower, null, container, flower.Replicas, strategy: null, terminationGracePeriodSeconds: 30);
    }
}
