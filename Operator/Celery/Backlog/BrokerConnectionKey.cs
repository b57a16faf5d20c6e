// What makes two resources share one broker connection: the same kind, URL list and credentials. Redis is shared
// across databases (a database is chosen per command); RabbitMQ per vhost (a connection is bound to its vhost),
// which the URL list already says; SQS per endpoint, region, queue URL prefix and access keys (one AWS client each). Invariant: ToString is the endpoint's redacted form, so a key can be logged.
using Operator.Celery.Broker;

namespace Operator.Celery.Backlog;

/// <summary>Identifies one shared broker connection.</summary>
public sealed record BrokerConnectionKey(BrokerKind Kind, string Server)
{
    private string Display { get; init; } = "";

    public static BrokerConnectionKey Of(BrokerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var server = endpoint.Kind switch
        {
            BrokerKind.Redis => $"{endpoint.Tls}|{endpoint.Host}|{endpoint.Port}|{endpoint.Username}|{endpoint.Password}",
            BrokerKind.Sqs => $"{endpoint.Host}|{endpoint.Port}|{endpoint.Region}|{endpoint.QueueUrlPrefix}|{endpoint.Username}|{endpoint.Password}",
            _ => endpoint.UrlList,
        };
        var display = endpoint.Kind == BrokerKind.Redis ? (endpoint with { Database = 0 }).ToString() : endpoint.ToString();
        return new BrokerConnectionKey(endpoint.Kind, server) { Display = display };
    }

    public bool Equals(BrokerConnectionKey? other) => other is not null && Kind == other.Kind && string.Equals(Server, other.Server, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Server));

    public override string ToString() => Display;
}
