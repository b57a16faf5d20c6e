// Why a backlog read failed, in a few stable words. Invariant: the message is built from the category and the
// endpoint's redacted form only, never from the exception's text (a client's message can carry configuration and
// changes from one attempt to the next, which would rewrite the status on every read).
using System.Net.Sockets;
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

    /// <summary>Every reason, for pre-setting the error counter's series.</summary>
    public static IReadOnlyList<string> Reasons { get; } = [Unreachable, Timeout, AuthenticationFailed, CircuitOpen, Error];

    public static BacklogReadFailure Of(Exception exception, BrokerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(endpoint);
        var reason = Classify(exception);
        var what = reason switch
        {
            Unreachable => "the broker is unreachable",
            Timeout => "the broker did not answer in time",
            AuthenticationFailed => "the broker refused the credentials of the broker Secret",
            CircuitOpen => "reads are paused after repeated failures",
            _ => $"the read failed ({exception.GetType().Name})",
        };
        return new BacklogReadFailure(reason, $"cannot read queue lengths from {endpoint}: {what}");
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
        RedisServerException { Message: var m } when m.StartsWith("NOAUTH", StringComparison.Ordinal) || m.StartsWith("WRONGPASS", StringComparison.Ordinal) || m.StartsWith("NOPERM", StringComparison.Ordinal) => AuthenticationFailed,
        AggregateException { InnerException: { } inner } => Classify(inner),
        { InnerException: { } inner } => Classify(inner),
        _ => Error,
    };
}
