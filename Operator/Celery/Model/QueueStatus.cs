using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Operator.Celery.Model;

/// <summary>One queue's backlog as the operator last read it from the broker.</summary>
public sealed record QueueStatus
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [Description("Messages waiting (Redis: the queue's list and its priority lists; RabbitMQ: ready messages; SQS: ApproximateNumberOfMessages, the visible messages).")]
    [JsonPropertyName("messages")]
    public long? Messages { get; init; }

    [Description("SQS only: messages a worker has received and not yet deleted (ApproximateNumberOfMessagesNotVisible); not part of messages.")]
    [JsonPropertyName("inFlight")]
    public long? InFlight { get; init; }

    [Description("Consumers the broker reports (RabbitMQ only; Redis and SQS do not know their consumers).")]
    [JsonPropertyName("consumers")]
    public int? Consumers { get; init; }

    [Description("When the operator first read the current count (a count read again unchanged does not move it, so a steady queue costs no status write).")]
    [JsonPropertyName("observedAt")]
    public DateTime? ObservedAt { get; init; }
}
