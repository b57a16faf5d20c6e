// One KEDA trigger per Celery queue, pointed where Celery (kombu) really keeps pending messages:
// - redis: a list named after the queue, in the database of the broker URL (LLEN). Messages sent with a
//   priority other than 0 go to sibling lists ("<queue>\x06\x16<n>"), each counted by a trigger of its own
//   when queueLength.priorityLevels names the steps (ScaledObjectBuilder).
// - rabbitmq: the queue of that name in the URL's vhost, counted in QueueLength mode (ready messages).
// - sqs: the queue whose URL is the configured prefix plus kombu's SQS name for the queue ('.' -> '-',
//   other characters outside [A-Za-z0-9_-] -> '_'), at the endpoint the sqs:// URL names when it names one (as
//   kombu does), else AWS's.
using System.Globalization;
using System.Text;
using Operator.Celery.Broker;
using Operator.Celery.Model;
using Operator.Keda;

namespace Operator.Celery.Builders;

/// <summary>Builds the queue-length trigger for one queue.</summary>
public static class QueueTriggerFactory
{
    public static ScaleTrigger Build(BrokerEndpoint endpoint, CelerySpec spec, string queue, QueueLengthTarget target, string? triggerName, string? authenticationName)
    {
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var targetValue = Number(target.TargetPerReplica);
        var activation = target.ActivationThreshold is { } a ? Number(a) : null;
        string type;
        switch (endpoint.Kind)
        {
            case BrokerKind.Redis:
                type = "redis";
                metadata["address"] = endpoint.Address;
                metadata["databaseIndex"] = Number(endpoint.Database);
                metadata["listName"] = queue;
                metadata["listLength"] = targetValue;
                AddIfSet(metadata, "activationListLength", activation);
                if (endpoint.Tls)
                {
                    metadata["enableTLS"] = "true";
                }

                break;
            case BrokerKind.RabbitMq:
                type = "rabbitmq";
                metadata["protocol"] = "amqp";
                metadata["mode"] = "QueueLength";
                metadata["queueName"] = queue;
                metadata["value"] = targetValue;
                AddIfSet(metadata, "activationValue", activation);
                break;
            case BrokerKind.Sqs:
                type = "aws-sqs-queue";
                var sqs = spec.Broker.Sqs ?? throw new InvalidOperationException("broker.sqs is required for an sqs broker");
                metadata["queueURL"] = SqsQueueUrl(sqs.QueueUrlPrefix, queue);
                metadata["awsRegion"] = sqs.Region;
                AddIfSet(metadata, "awsEndpoint", endpoint.SqsEndpointUrl);
                metadata["queueLength"] = targetValue;
                AddIfSet(metadata, "activationQueueLength", activation);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint.Kind, "unknown broker kind");
        }

        return new ScaleTrigger
        {
            Type = type,
            Name = triggerName,
            Metadata = metadata,
            AuthenticationRef = authenticationName is null ? null : new AuthenticationReference { Name = authenticationName },
        };
    }

    /// <summary>The URL of the SQS queue kombu uses for a Celery queue: the configured prefix and kombu's name for it.</summary>
    public static string SqsQueueUrl(string queueUrlPrefix, string queue) => queueUrlPrefix + SqsQueueName(queue);

    /// <summary>The SQS queue name kombu uses for a Celery queue name.</summary>
    public static string SqsQueueName(string queue)
    {
        var name = new StringBuilder(queue.Length);
        foreach (var c in queue)
        {
            name.Append(c switch
            {
                '.' => '-',
                _ when char.IsAsciiLetterOrDigit(c) || c is '-' or '_' => c,
                _ => '_',
            });
        }

        return name.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AddIfSet(IDictionary<string, string> metadata, string key, string? value)
    {
        if (value is not null)
        {
            metadata[key] = value;
        }
    }
}
