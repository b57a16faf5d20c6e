using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Operator.CustomResources;

namespace Operator.Celery.Model;

/// <summary>The operator's reading of a resource's queue backlog (spec.broker.backlog).</summary>
public sealed record BacklogSpec
{
    public const int DefaultNoConsumerThresholdSeconds = 300;

    [SchemaDefault(true)]
    [Description("Read the backlog of this resource's queues (default true). False: no broker connection for this resource, no status.queues, no queue metrics.")]
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; } = true;

    [Range(0, 86400)]
    [Description("Seconds a queue may hold messages with no consumer before the QueuesConsumed condition turns False and a Warning event is recorded (default 300).")]
    [JsonPropertyName("noConsumerThresholdSeconds")]
    public int? NoConsumerThresholdSeconds { get; init; }

    /// <summary>The threshold in effect.</summary>
    [JsonIgnore]
    public TimeSpan NoConsumerThreshold => TimeSpan.FromSeconds(NoConsumerThresholdSeconds ?? DefaultNoConsumerThresholdSeconds);
}
