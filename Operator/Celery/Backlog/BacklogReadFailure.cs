// Why a backlog read failed, in a few stable words. Invariant: the message is built from the category and the
// endpoint's redacted form only, never from the exception's text (a client's message can carry configuration and
// changes from one attempt to the next, which would rewrite the status on every read); a QueueDepthReadException's
// message is the operator's own, built the same way, and is used as it is.
using System.Net.Sockets;
using Amazon.Runtime;
using Operator.Celery.Broker;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using StackExchange.Redis;

namespace Operator.Celery.Backlog;

/// <summary>The metric label and status wording of a failed read.</summary>
public sealed record BacklogReadFailure(string Reason, string Message)
{
    public const string Unreachable = "unreachable";
    public const string Timeout = "timeout";
    public const string AuthenticationFailed = "authentication_failed";
    public const string CircuitOpen = "circuit_open";
    public const string Error = "error";

    /// <summary>
    /// True when the broker was not there to answer (unreachable, timed out, or reads paused after such failures),
    /// as opposed to a broker that answered and refused. A dead endpoint's reads alternate between these as the
    /// resolver, the connection and the circuit breaker each give up first, and say nothing new.
    /// </summary>
    public bool IsOutage => Reason is Unreachable or Timeout or CircuitOpen;

    /// <summary>Every reason, for pre-setting the error counter's series.</summary>
    public static IReadOnlyList<string> Reasons { get; } = [Unreachable, Timeout, AuthenticationFailed, CircuitOpen, Error];

    // The message AWSSDK.Core's default credential chain fails with when no provider has an identity.
    private const string NoAwsCredentials = "Failed to resolve AWS credentials";

    private static readonly HashSet<string> AwsAuthenticationErrors = new(StringComparer.Ordinal)
    {
        "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken",
        "ExpiredToken", "ExpiredTokenException", "AccessDenied", "AccessDeniedException", "AWS.SimpleQueueService.InvalidSecurity", "InvalidSecurity",
    };

    public static BacklogReadFailure Of(Exception exception, BrokerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(endpoint);
        var reason = Classify(exception);
        if (reason == Error && Find<QueueDepthReadException>(exception) is { } own)
        {
            return new BacklogReadFailure(reason, own.Message);
        }

        var what = reason switch
        {
            Unreachable => "the broker is unreachable",
            Timeout => "the broker did not answer in time",
            AuthenticationFailed when endpoint.Kind == BrokerKind.Sqs && Find<AmazonServiceException>(exception) is null =>
                "no AWS credentials: the broker URL has no access keys and the operator's pod has no AWS identity (IRSA, EKS Pod Identity, instance profile)",
            AuthenticationFailed when endpoint.Kind == BrokerKind.Sqs => endpoint.HasCredentials
                ? "SQS refused the access keys of the broker Secret, or they lack sqs:GetQueueAttributes"
                : "SQS refused the operator's AWS identity, or it lacks sqs:GetQueueAttributes",
            AuthenticationFailed => "the broker refused the credentials of the broker Secret",
            CircuitOpen => "reads are paused after repeated failures",
            _ => $"the read failed ({exception.GetType().Name})",
        };
        return new BacklogReadFailure(reason, $"cannot read queue lengths from {endpoint}: {what}");
    }

    // The first exception of type T in the chain of inner exceptions.
    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Classify(Exception exception) => exception switch
    {
        BrokenCircuitException => CircuitOpen,
        TimeoutRejectedException or RedisTimeoutException or TimeoutException => Timeout,
        RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } => AuthenticationFailed,
        AuthenticationFailureException => AuthenticationFailed,
        BrokerUnreachableException { InnerException: AuthenticationFailureException } => AuthenticationFailed,
        RedisConnectionException or BrokerUnreachableException or SocketException or ConnectFailureException => Unreachable,
        // AMQP closes: 403 ACCESS_REFUSED is the broker refusing these credentials the vhost or queue; a broker that
        // shuts down closes with 320 CONNECTION_FORCED, and a connection lost under the client closes from the
        // library's side (541 or an end of stream): both mean the broker is not there to read.
        OperationInterruptedException { ShutdownReason.ReplyCode: 403 } => AuthenticationFailed,
        OperationInterruptedException { ShutdownReason: null or { ReplyCode: 320 or 541 } or { Initiator: ShutdownInitiator.Library } } => Unreachable,
        // SQS (AWS JSON or query protocol): a request signed with unknown, expired or mismatched keys, or by an
        // identity without sqs:GetQueueAttributes; and the SDK's credential chain finding no identity at all.
        AmazonServiceException { ErrorCode: var code } when AwsAuthenticationErrors.Contains(code ?? "") => AuthenticationFailed,
        AmazonServiceException { StatusCode: System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized } => AuthenticationFailed,
        AmazonClientException { Message: var m } when m.StartsWith(NoAwsCredentials, StringComparison.Ordinal) => AuthenticationFailed,
        RedisServerException { Message: var m } when m.StartsWith("NOAUTH", StringComparison.Ordinal) || m.StartsWith("WRONGPASS", StringComparison.Ordinal) || m.StartsWith("NOPERM", StringComparison.Ordinal) => AuthenticationFailed,
        AggregateException { InnerException: { } inner } => Classify(inner),
        { InnerException: { } inner } => Classify(inner),
        _ => Error,
    };
}
