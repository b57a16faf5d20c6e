// KEDA scalers read broker credentials as named parameters, in shapes that differ from Celery's single URL
// (rabbitmq wants the amqp URL as `host`, redis wants `password`, SQS wants the AWS keys). This builder derives
// a Secret in those shapes from the parsed broker URL, and a TriggerAuthentication mapping parameters to it.
// Both are owned by the resource, so they go with it.
using System.Text;
using k8s.Models;
using Operator.Celery.Broker;
using Operator.Keda;

namespace Operator.Celery.Builders;

/// <summary>The derived broker Secret and TriggerAuthentication for KEDA.</summary>
public static class KedaBrokerAuthenticationBuilder
{
    /// <summary>The secret parameters KEDA's scaler for this broker needs, or an empty map when it needs none.</summary>
    public static SortedDictionary<string, string> Parameters(BrokerEndpoint endpoint)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        switch (endpoint.Kind)
        {
            case BrokerKind.Redis:
                AddIfSet(parameters, "username", endpoint.Username);
                AddIfSet(parameters, "password", endpoint.Password);
                break;
            case BrokerKind.RabbitMq:
                // KEDA speaks amqp(s):// only; kombu's aliases name the same protocol.
                parameters["host"] = (endpoint.Tls ? "amqps" : "amqp") + endpoint.Url[endpoint.Url.IndexOf("://", StringComparison.Ordinal)..];
                break;
            case BrokerKind.Sqs:
                var keys = AwsAccessKeys.Of(endpoint);
                AddIfSet(parameters, "awsAccessKeyID", keys?.AccessKeyId);
                AddIfSet(parameters, "awsSecretAccessKey", keys?.SecretAccessKey);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint.Kind, "unknown broker kind");
        }

        return parameters;
    }

    public static V1Secret BuildSecret(BuildContext context, IReadOnlyDictionary<string, string> parameters) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = ChildMetadata.For(context, context.Names.KedaBrokerSecret, CeleryLabels.Components.Autoscaling),
        Type = "Opaque",
        Data = parameters.ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes(p.Value), StringComparer.Ordinal),
    };

    /// <summary>
    /// Maps each parameter to the derived Secret; with no static credentials (SQS on a pod identity) the scaler
    /// uses the workload's AWS identity instead.
    /// </summary>
    public static TriggerAuthentication BuildTriggerAuthentication(BuildContext context, BrokerEndpoint endpoint, IReadOnlyDictionary<string, string> parameters) => new()
    {
        Metadata = ChildMetadata.For(context, context.Names.KedaTriggerAuthentication, CeleryLabels.Components.Autoscaling),
        Spec = new TriggerAuthenticationSpec
        {
            SecretTargetRef = parameters.Count > 0
                ? [.. parameters.Keys.Select(key => new SecretTargetReference { Parameter = key, Name = context.Names.KedaBrokerSecret, Key = key })]
                : null,
            PodIdentity = parameters.Count == 0 && endpoint.Kind == BrokerKind.Sqs ? new PodIdentity { Provider = "aws", IdentityOwner = "workload" } : null,
        },
    };

    private static void AddIfSet(IDictionary<string, string> parameters, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters[key] = value;
        }
    }
}
