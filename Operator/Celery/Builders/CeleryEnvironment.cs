// Environment of every Celery container. Broker and result URLs reach containers only as env vars read from
// Secrets (never in args, which `ps` and pod specs show); Celery reads CELERY_BROKER_URL and
// CELERY_RESULT_BACKEND itself.
using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>Builds the operator's env of worker, beat and Flower containers (users' env is merged over it by PodTemplateFactory).</summary>
public static class CeleryEnvironment
{
    public const string BrokerUrl = "CELERY_BROKER_URL";
    public const string ResultBackend = "CELERY_RESULT_BACKEND";

    /// <summary>Operator-provided variables, then the container-specific <paramref name="extra"/>.</summary>
    public static List<V1EnvVar> For(CelerySpec spec, IEnumerable<V1EnvVar>? extra = null)
    {
        var env = new List<V1EnvVar>();
        var broker = spec.Broker;
        if (broker.UrlSecretRef is { } brokerRef)
        {
            env.Add(FromSecret(BrokerUrl, brokerRef));
        }
        else if (broker.Type == "sqs")
        {
            // SQS without a Secret: credentials come from the pod's identity (IRSA / pod identity).
            env.Add(new V1EnvVar { Name = BrokerUrl, Value = "sqs://" });
        }

        if (broker.Sqs is { } sqs)
        {
            // boto3 reads the region from these; the app's broker_transport_options may still override it.
            env.Add(new V1EnvVar { Name = "AWS_REGION", Value = sqs.Region });
            env.Add(new V1EnvVar { Name = "AWS_DEFAULT_REGION", Value = sqs.Region });
        }

        if (spec.ResultBackend?.UrlSecretRef is { } resultRef)
        {
            env.Add(FromSecret(ResultBackend, resultRef));
        }

        if (extra is not null)
        {
            env.AddRange(extra);
        }

        return env;
    }

    public static V1EnvVar FromSecret(string name, SecretKeyReference reference) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = reference.Name, Key = reference.Key } },
    };
}
