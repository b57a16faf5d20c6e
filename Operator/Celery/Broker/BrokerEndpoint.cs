// What the operator needs to know of a broker URL, parsed once from the Secret. Invariant: ToString never
// prints credentials, so an endpoint can be logged or put in a status message safely.
namespace Operator.Celery.Broker;

/// <summary>The broker kinds the operator supports.</summary>
public enum BrokerKind
{
    Redis,
    RabbitMq,
    Sqs,
}

/// <summary>A parsed broker URL.</summary>
public sealed record BrokerEndpoint
{
    public required BrokerKind Kind { get; init; }

    /// <summary>The URL scheme as written (redis, rediss, amqp, amqps, pyamqp, sqs...).</summary>
    public required string Scheme { get; init; }

    public string Host { get; init; } = "";

    public int? Port { get; init; }

    /// <summary>Whether the connection uses TLS (rediss, amqps; sqs to AWS, but not to a host named in the URL, which kombu reaches over http).</summary>
    public bool Tls { get; init; }

    /// <summary>Redis database index from the URL path (0 when absent).</summary>
    public int Database { get; init; }

    /// <summary>RabbitMQ virtual host from the URL path ("/" when absent).</summary>
    public string VirtualHost { get; init; } = "/";

    /// <summary>SQS: the region of the queues (spec.broker.sqs.region, which the workers get as AWS_REGION); null otherwise.</summary>
    public string? Region { get; init; }

    /// <summary>SQS: the queue URL prefix (spec.broker.sqs.queueUrlPrefix); null otherwise.</summary>
    public string? QueueUrlPrefix { get; init; }

    public string? Username { get; init; }

    /// <summary>The password (or AWS secret key); never printed.</summary>
    public string? Password { get; init; }

    /// <summary>The URL as read from the Secret (the first of a failover list); never printed.</summary>
    public required string Url { get; init; }

    /// <summary>The whole ';'-separated URL list as read from the Secret; never printed.</summary>
    public string UrlList { get; init; } = "";

    /// <summary>The endpoints of the failover URLs after the first, in order (empty without a failover list).</summary>
    public IReadOnlyList<BrokerEndpoint> Failover => FailoverUrls == 0 ? [] : BrokerUrlParser.ParseFailover(this);

    /// <summary>How many failover URLs followed the first in the Secret's ';'-separated list (Celery's, not KEDA's).</summary>
    public int FailoverUrls { get; init; }

    /// <summary>
    /// SQS: where kombu sends its calls when the URL names a host (its endpoint_url, http://host[:port] without the
    /// is_secure transport option); null for AWS's regional endpoint of <see cref="Region"/>.
    /// </summary>
    public string? SqsEndpointUrl => Kind == BrokerKind.Sqs && Host.Length > 0 ? $"{(Tls ? "https" : "http")}://{Address}" : null;

    /// <summary>host:port, for KEDA's address fields.</summary>
    public string Address => Port is { } port ? $"{Host}:{port}" : Host;

    public bool HasCredentials => !string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Password);

    public override string ToString() =>
        $"{Scheme}://{(HasCredentials ? "***@" : "")}{Address}{Kind switch { BrokerKind.Redis => "/" + Database, BrokerKind.RabbitMq => " vhost " + VirtualHost, _ => Region is null ? "" : " region " + Region }}"
        + (FailoverUrls > 0 ? $" (first of {FailoverUrls + 1} failover URLs; autoscaling watches this one)" : "");
}
