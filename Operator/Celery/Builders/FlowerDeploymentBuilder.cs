using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>Flower's Deployment, probed on its /healthcheck endpoint.</summary>
public static class FlowerDeploymentBuilder
{
    public const string ContainerName = "flower";
    public const string PortName = "http";
    public const long DefaultTerminationGracePeriodSeconds = 30;

    /// <summary>Flower 2.0's login handler for each provider (its auth_provider option).</summary>
    public static IReadOnlyDictionary<string, string> OAuthLoginHandlers { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["google"] = "flower.views.auth.GoogleAuth2LoginHandler",
        ["github"] = "flower.views.auth.GithubLoginHandler",
        ["gitlab"] = "flower.views.auth.GitLabLoginHandler",
        ["okta"] = "flower.views.auth.OktaLoginHandler",
    };

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

        if (flower.Oauth is { } oauth)
        {
            // Flower reads any option from FLOWER_<NAME>; the client credentials reach only this container.
            extraEnv.Add(new V1EnvVar { Name = "FLOWER_AUTH_PROVIDER", Value = OAuthLoginHandlers[oauth.Provider] });
            extraEnv.Add(new V1EnvVar { Name = "FLOWER_AUTH", Value = oauth.AllowedEmails });
            extraEnv.Add(new V1EnvVar { Name = "FLOWER_OAUTH2_REDIRECT_URI", Value = oauth.RedirectUri });
            extraEnv.Add(CeleryEnvironment.FromSecret("FLOWER_OAUTH2_KEY", oauth.ClientIdSecretRef));
            extraEnv.Add(CeleryEnvironment.FromSecret("FLOWER_OAUTH2_SECRET", oauth.ClientSecretSecretRef));
            if (oauth.CookieSecretSecretRef is { } cookie)
            {
                extraEnv.Add(CeleryEnvironment.FromSecret("FLOWER_COOKIE_SECRET", cookie));
            }
        }

        var probe = new V1HTTPGetAction { Path = CeleryCommandLine.FlowerHealthPath(flower), Port = PortName };
        var container = new V1Container
        {
            Name = ContainerName,
            Command = CeleryCommandLine.Command,
            Args = CeleryCommandLine.Flower(context.Spec, flower),
            Env = CeleryEnvironment.For(context.Spec, extraEnv),
            Ports = [new V1ContainerPort { Name = PortName, ContainerPort = flower.Port, Protocol = "TCP" }],
            Resources = flower.Resources,
            ReadinessProbe = new V1Probe { HttpGet = probe, PeriodSeconds = 10, TimeoutSeconds = 5, FailureThreshold = 3 },
            LivenessProbe = new V1Probe { HttpGet = probe, InitialDelaySeconds = 30, PeriodSeconds = 30, TimeoutSeconds = 5, FailureThreshold = 5 },
        };
        V1DeploymentStrategy? strategy = null;
        List<V1Volume>? volumes = null;
        if (flower.Persistence is not null)
        {
            // One process writes the database: the old pod stops (and saves it) before the new one opens it.
            container.VolumeMounts = [new V1VolumeMount { Name = FlowerSpec.StateVolume, MountPath = CeleryCommandLine.FlowerStateDirectory }];
            strategy = new V1DeploymentStrategy { Type = "Recreate" };
            volumes = [PersistentVolumeClaimBuilder.Volume(FlowerSpec.StateVolume, context.Names.FlowerStateClaim)];
        }

        return DeploymentEnvelope.Build(context, context.Names.FlowerDeployment, CeleryLabels.Components.Flower, null, container, flower.Replicas, strategy, ComponentPodSettings.ForFlower(context.Spec, flower), DefaultTerminationGracePeriodSeconds, extraVolumes: volumes);
    }
}
