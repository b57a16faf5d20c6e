// Parses broker URLs the way Celery (kombu) reads them, so what the operator derives for KEDA (address,
// database, vhost) is where Celery really puts its queues. A failover list (URLs separated by ';', which kombu
// splits before parsing) yields the first URL: Celery connects there first, and KEDA watches that one. Invariant:
// error messages never quote the URL or any part of it that may hold a secret.
using System.Globalization;

namespace Operator.Celery.Broker;

/// <summary>The outcome of parsing a broker URL: an endpoint or a message that is safe to show.</summary>
public sealed record BrokerParseResult(BrokerEndpoint? Endpoint, string? Error)
{
    public bool Succeeded => Endpoint is not null;

    public static BrokerParseResult Fail(string error) => new(null, error);
}

/// <summary>Parses redis://, rediss://, amqp://, amqps:// (and pyamqp://) and sqs:// URLs.</summary>
public static class BrokerUrlParser
{
    private const int DefaultRedisPort = 6379;
    private const int DefaultAmqpPort = 5672;
    private const int DefaultAmqpsPort = 5671;

    /// <summary>Parses <paramref name="url"/> for the broker type named in the resource (redis, rabbitmq, sqs).</summary>
    public static BrokerParseResult Parse(string brokerType, string? url)
    {
        var kind = brokerType switch
        {
            "redis" => BrokerKind.Redis,
            "rabbitmq" => BrokerKind.RabbitMq,
            "sqs" => BrokerKind.Sqs,
            _ => (BrokerKind?)null,
        };
        if (kind is null)
        {
            return BrokerParseResult.Fail($"unsupported broker type '{brokerType}' (expected redis, rabbitmq or sqs)");
        }

        // kombu's Connection splits a ';'-separated string into failover URLs and connects to the first.
        var urls = (url ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length == 0)
        {
            return BrokerParseResult.Fail("the broker URL is empty");
        }

        var first = ParseOne(kind.Value, brokerType, urls[0]);
        if (first.Endpoint is { } parsed)
        {
            first = first with { Endpoint = parsed with { UrlList = string.Join(';', urls) } };
        }

        if (!first.Succeeded || urls.Length == 1)
        {
            return first;
        }

        for (var i = 1; i < urls.Length; i++)
        {
            if (ParseOne(kind.Value, brokerType, urls[i]).Error is { } error)
            {
                return BrokerParseResult.Fail($"failover URL {i + 1} of {urls.Length}: {error}");
            }
        }

        return new BrokerParseResult(first.Endpoint! with { FailoverUrls = urls.Length - 1 }, null);
    }

    /// <summary>The endpoints of <paramref name="endpoint"/>'s failover URLs after its first (each already parsed once by <see cref="Parse"/>).</summary>
    public static IReadOnlyList<BrokerEndpoint> ParseFailover(BrokerEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var type = endpoint.Kind switch { BrokerKind.Redis => "redis", BrokerKind.RabbitMq => "rabbitmq", _ => "sqs" };
        return [.. endpoint.UrlList.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(url => ParseOne(endpoint.Kind, type, url).Endpoint)
            .OfType<BrokerEndpoint>()];
    }

    private static BrokerParseResult ParseOne(BrokerKind kind, string brokerType, string url)
    {
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return BrokerParseResult.Fail("the broker URL has no scheme (expected for example redis://host:6379/0)");
        }

        var scheme = url[..separator].ToLowerInvariant();
        var (expectedKind, tls) = scheme switch
        {
            "redis" => (BrokerKind.Redis, false),
            "rediss" => (BrokerKind.Redis, true),
            "amqp" or "pyamqp" or "librabbitmq" => (BrokerKind.RabbitMq, false),
            "amqps" => (BrokerKind.RabbitMq, true),
            "sqs" => (BrokerKind.Sqs, true),
            _ => ((BrokerKind?)null, false),
        };
        if (expectedKind is null)
        {
            return BrokerParseResult.Fail($"unsupported broker URL scheme '{Safe(scheme)}' (expected redis, rediss, amqp, amqps or sqs)");
        }

        if (expectedKind != kind)
        {
            return BrokerParseResult.Fail($"broker URL scheme '{scheme}' does not match broker type '{brokerType}'");
        }

        var rest = url[(separator + 3)..];
        var pathStart = rest.IndexOfAny(['/', '?']);
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        var pathAndQuery = pathStart < 0 ? "" : rest[pathStart..];
        var path = pathAndQuery.Split('?', 2)[0];

        string? user = null, password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        if (kind == BrokerKind.Sqs)
        {
            // sqs:// carries credentials (or none, for the pod's own identity) and, rarely, a host: kombu then sends
            // its SQS calls to http://host[:port] (an SQS-compatible service) instead of AWS. Queues come from
            // broker.sqs.
            var sqs = new BrokerEndpoint
            {
                Kind = BrokerKind.Sqs,
                Scheme = scheme,
                Tls = true,
                Url = url,
                Username = NullIfEmpty(user),
                Password = NullIfEmpty(password),
            };
            if (authority.Length == 0)
            {
                return new BrokerParseResult(sqs, null);
            }

            var sqsHost = SplitHostPort(authority, null);
            return sqsHost.Error is { } sqsHostError
                ? BrokerParseResult.Fail(sqsHostError)
                : new BrokerParseResult(sqs with { Host = sqsHost.Host, Port = sqsHost.Port, Tls = false }, null);
        }

        var hostResult = SplitHostPort(authority, tls ? (kind == BrokerKind.Redis ? DefaultRedisPort : DefaultAmqpsPort) : (kind == BrokerKind.Redis ? DefaultRedisPort : DefaultAmqpPort));
        if (hostResult.Error is { } hostError)
        {
            return BrokerParseResult.Fail(hostError);
        }

        var endpoint = new BrokerEndpoint
        {
            Kind = kind,
            Scheme = scheme,
            Tls = tls,
            Url = url,
            Host = hostResult.Host,
            Port = hostResult.Port,
            Username = NullIfEmpty(user),
            Password = NullIfEmpty(password),
        };

        if (kind == BrokerKind.Redis)
        {
            var db = path.Trim('/');
            if (db.Length == 0)
            {
                return new BrokerParseResult(endpoint, null);
            }

            if (!int.TryParse(db, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > 65535)
            {
                return BrokerParseResult.Fail("the Redis broker URL's path must be a database number, for example redis://host:6379/0");
            }

            return new BrokerParseResult(endpoint with { Database = index }, null);
        }

        // kombu: the path after the first slash is the vhost, URL-decoded; an empty path means "/".
        var vhost = path.Length <= 1 ? "/" : Uri.UnescapeDataString(path[1..]);
        return new BrokerParseResult(endpoint with { VirtualHost = vhost }, null);
    }

    private static (string Host, int? Port, string? Error) SplitHostPort(string authority, int? defaultPort)
    {
        if (authority.Length == 0)
        {
            return ("", null, "the broker URL has no host");
        }

        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return ("", null, "the broker URL has an unterminated IPv6 address");
            }

            host = authority[..(close + 1)];
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                {
                    return ("", null, "the broker URL's host is malformed");
                }

                port = authority[(close + 2)..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? null : authority[(colon + 1)..];
        }

        if (host.Length == 0 || Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            return ("", null, "the broker URL's host is not a valid host name or address");
        }

        if (port is null)
        {
            return (host, defaultPort, null);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            return ("", null, "the broker URL's port must be a number from 1 to 65535");
        }

        return (host, number, null);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // A scheme is not secret, but cap and clean it so a pasted credential never lands whole in a message.
    private static string Safe(string scheme) => new([.. scheme.Take(16).Where(char.IsAsciiLetterOrDigit)]);
}
