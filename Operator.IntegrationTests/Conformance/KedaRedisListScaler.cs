// The metric KEDA's `redis` scaler (Redis Lists) reports, computed the way KEDA documents and implements it:
// connect to metadata.address (TLS when enableTLS), authenticate with the TriggerAuthentication's username /
// password, select metadata.databaseIndex, and measure metadata.listName by its type: a list (or a missing
// key, which counts 0) by LLEN, a set by SCARD, a hash by HLEN, a sorted set by ZCARD; any other type is an
// error. TLS is not emulated: the test brokers are plain loopback servers.
using System.Globalization;
using Operator.Keda;

namespace Operator.IntegrationTests.Conformance;

/// <summary>KEDA's Redis list length, from a trigger and its authentication parameters.</summary>
internal static class KedaRedisListScaler
{
    public const string TriggerType = "redis";

    public static async Task<long> MeasureAsync(ScaleTrigger trigger, IReadOnlyDictionary<string, string> authentication, CancellationToken cancellationToken)
    {
        Assert.That(trigger.Type, Is.EqualTo(TriggerType));
        var metadata = trigger.Metadata;
        if (metadata.TryGetValue("enableTLS", out var tls) && tls == "true")
        {
            throw new NotSupportedException("TLS Redis triggers are not emulated");
        }

        var database = metadata.TryGetValue("databaseIndex", out var index) ? int.Parse(index, CultureInfo.InvariantCulture) : 0;
        await using var client = await RespClient.ConnectAsync(
            metadata["address"], authentication.GetValueOrDefault("username"), authentication.GetValueOrDefault("password"), database, cancellationToken);
        var listName = metadata["listName"];
        var type = (await client.CommandAsync(cancellationToken, "TYPE", listName)).Text;
        var command = type switch
        {
            "list" or "none" => "LLEN",
            "set" => "SCARD",
            "hash" => "HLEN",
            "zset" => "ZCARD",
            _ => throw new InvalidOperationException($"KEDA rejects key {listName} of type {type}"),
        };
        return (await client.CommandAsync(cancellationToken, command, listName)).AsInteger;
    }
}
