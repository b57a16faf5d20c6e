// A read that reached the broker but cannot give counts for a reason of the resource's own configuration (an SQS
// queue that does not exist at the configured URL, half an access key pair). Invariant: the message is built by
// the operator from the resource's spec and the endpoint's redacted form only, so it can go on status and in
// events as it is.
namespace Operator.Celery.Backlog;

/// <summary>A failed read whose message is safe to show and says what to fix.</summary>
public sealed class QueueDepthReadException : Exception
{
    public QueueDepthReadException(string message)
        : base(message)
    {
    }

    public QueueDepthReadException()
    {
    }

    public QueueDepthReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
