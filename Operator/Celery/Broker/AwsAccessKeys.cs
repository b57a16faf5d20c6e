// The static AWS keys an sqs:// broker URL carries (sqs://ACCESS_KEY_ID:SECRET_ACCESS_KEY@), read the way kombu reads
// them: the user name is the access key id, the password the secret access key. KEDA's TriggerAuthentication and
// the operator's own SQS client take them from here, so both use the same identity as the workers. Invariant:
// ToString never prints the secret access key (nor the key id, which names the IAM user).
namespace Operator.Celery.Broker;

/// <summary>An access key pair from the broker URL; either part may be missing from a malformed URL.</summary>
public sealed record AwsAccessKeys(string? AccessKeyId, string? SecretAccessKey)
{
    /// <summary>The keys of an SQS endpoint, or null when its URL carries none (the pod's AWS identity applies).</summary>
    public static AwsAccessKeys? Of(BrokerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Kind == BrokerKind.Sqs && endpoint.HasCredentials ? new AwsAccessKeys(endpoint.Username, endpoint.Password) : null;
    }

    /// <summary>Both parts present: a key pair an AWS client can sign with.</summary>
    public bool Complete => !string.IsNullOrEmpty(AccessKeyId) && !string.IsNullOrEmpty(SecretAccessKey);

    public override string ToString() => "AWS access keys (redacted)";
}
