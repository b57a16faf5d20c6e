// Reads Celery queue counts from Amazon SQS with GetQueueAttributes, one call per queue URL: the URL is the one
// KEDA's trigger watches (spec.broker.sqs.queueUrlPrefix plus kombu's SQS name of the queue), the region that of
// spec.broker.sqs, and the endpoint AWS's regional one, or http://host[:port] when the sqs:// URL names a host
// (kombu's endpoint_url for SQS-compatible services). Only ApproximateNumberOfMessages (messages waiting) and
// ApproximateNumberOfMessagesNotVisible (received by a worker, not yet deleted: in flight) are asked for, by name.
// SQS has no consumer count. Credentials: the access keys of the broker URL when it has them, else the SDK's
// default chain (IRSA web identity, EKS Pod Identity, environment, instance profile) of the operator's pod. A
// queue that does not exist counts 0, like a RabbitMQ queue nobody declared yet (kombu creates SQS queues on
// first use); when none of the queues exists the read fails and says which URL was tried, since that is a wrong
// prefix, region or account rather than a queue not created yet. Invariant: the keys stay inside the SDK's
// credentials object; no message of ours includes them or the SDK's exception text.
using System.Globalization;
using Amazon;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Operator.Celery.Broker;
using Operator.Celery.Builders;

namespace Operator.Celery.Backlog;

/// <summary>Reads queue counts from SQS queues of one region, endpoint and identity.</summary>
public sealed class SqsQueueDepthReader : IQueueDepthReader
{
    /// <summary>Waiting messages: what status.queues[].messages shows, as KEDA's scaler counts visible messages.</summary>
    public const string VisibleAttribute = "ApproximateNumberOfMessages";

    /// <summary>Messages a worker has received and not yet deleted: status.queues[].inFlight.</summary>
    public const string InFlightAttribute = "ApproximateNumberOfMessagesNotVisible";

    private static readonly List<string> AttributeNames = [VisibleAttribute, InFlightAttribute];

    private readonly AmazonSQSClient client;
    private readonly string? configurationError;

    public SqsQueueDepthReader(BrokerEndpoint endpoint, TimeSpan callTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var config = new AmazonSQSConfig
        {
            Timeout = callTimeout,
            // The backlog loop is the retry: the next pass, under the endpoint's circuit breaker.
            MaxErrorRetry = 0,
        };
        if (endpoint.SqsEndpointUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = endpoint.Region;
        }
        else if (endpoint.Region is { Length: > 0 } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        var keys = AwsAccessKeys.Of(endpoint);
        if (keys is { Complete: false })
        {
            configurationError = $"cannot read queue lengths from {endpoint}: the broker URL has only half an AWS access key pair (sqs://ACCESS_KEY_ID:SECRET_ACCESS_KEY@ needs both)";
        }

        client = keys is { Complete: true }
            ? new AmazonSQSClient(new BasicAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey), config)
            : new AmazonSQSClient(config);
    }

    public async Task<IReadOnlyList<QueueDepth>> ReadAsync(BrokerEndpoint endpoint, IReadOnlyCollection<BacklogQueue> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(queues);
        if (configurationError is not null)
        {
            throw new QueueDepthReadException(configurationError);
        }

        var prefix = endpoint.QueueUrlPrefix ?? throw new QueueDepthReadException($"cannot read queue lengths from {endpoint}: spec.broker.sqs.queueUrlPrefix is not set");
        var reads = queues.Select(q => ReadOneAsync(q.Name, QueueTriggerFactory.SqsQueueUrl(prefix, q.Name), cancellationToken)).ToList();
        var depths = await Task.WhenAll(reads).ConfigureAwait(false);
        if (depths.Length > 0 && depths.All(d => d is null))
        {
            var first = QueueTriggerFactory.SqsQueueUrl(prefix, queues.First().Name);
            var others = depths.Length > 1 ? $" nor any of the other {depths.Length - 1} queue URLs under {prefix}" : "";
            throw new QueueDepthReadException($"cannot read queue lengths from {endpoint}: SQS has no queue at {first}{others}; check spec.broker.sqs (queueUrlPrefix, region) or create the queue");
        }

        return [.. queues.Zip(depths, (q, d) => d ?? new QueueDepth(q.Name, 0, null, 0))];
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    // Null when SQS says the queue does not exist.
    private async Task<QueueDepth?> ReadOneAsync(string queue, string queueUrl, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = AttributeNames }, cancellationToken).ConfigureAwait(false);
            return new QueueDepth(queue, Count(response, VisibleAttribute, queueUrl), null, Count(response, InFlightAttribute, queueUrl));
        }
        catch (AmazonSQSException e) when (e is QueueDoesNotExistException || e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist")
        {
            return null;
        }
    }

    private static long Count(GetQueueAttributesResponse response, string attribute, string queueUrl) =>
        response.Attributes?.TryGetValue(attribute, out var value) == true && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new QueueDepthReadException($"SQS answered GetQueueAttributes for {queueUrl} without a number for {attribute}");
}
