// The metric KEDA's `rabbitmq` scaler reports with protocol amqp and mode QueueLength, computed the way KEDA
// documents and implements it: connect to the AMQP URI in the `host` authentication parameter (its path is the
// vhost, unless metadata.vhostName overrides it), passively declare metadata.queueName, and take the message
// count of the declare-ok: the messages ready for delivery. Messages a consumer holds unacknowledged are not
// counted in this mode (the http protocol counts them); a queue that does not exist is a scaler error.
using Operator.Keda;
using RabbitMQ.Client;

namespace Operator.IntegrationTests.Conformance;

/// <summary>KEDA's RabbitMQ queue length (amqp protocol, QueueLength mode).</summary>
internal static class KedaRabbitMqQueueScaler
{
    public const string TriggerType = "rabbitmq";

    public static async Task<long> MeasureAsync(ScaleTrigger trigger, IReadOnlyDictionary<string, string> authentication, CancellationToken cancellationToken)
    {
        Assert.That(trigger.Type, Is.EqualTo(TriggerType));
        var metadata = trigger.Metadata;
        Assert.That(metadata["protocol"], Is.EqualTo("amqp"), "only the amqp protocol is emulated");
        Assert.That(metadata["mode"], Is.EqualTo("QueueLength"), "only QueueLength mode is emulated");
        var factory = new ConnectionFactory { Uri = new Uri(authentication["host"]) };
        if (metadata.TryGetValue("vhostName", out var vhost))
        {
            factory.VirtualHost = vhost;
        }

        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync(metadata["queueName"], cancellationToken)).MessageCount;
    }
}
