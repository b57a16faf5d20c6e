namespace Operator.IntegrationTests.Conformance;

/// <summary>
/// A broker server a test fixture runs on loopback. Invariant: while started, <see cref="BrokerUrl"/> reaches it;
/// after <see cref="StopAsync"/> nothing listens there until <see cref="StartAsync"/> brings it back on the same port.
/// </summary>
internal interface IBrokerServer : IAsyncDisposable
{
    /// <summary>The resource's spec.broker.type this server plays (redis, rabbitmq).</summary>
    string BrokerType { get; }

    /// <summary>The Celery broker URL, as a user would store it in the broker Secret.</summary>
    string BrokerUrl { get; }

    /// <summary>A result backend URL for resources that name one.</summary>
    string ResultBackendUrl { get; }

    /// <summary>Removes every pending message of <paramref name="queues"/>, so tests start from empty queues.</summary>
    Task ResetAsync(IEnumerable<string> queues, CancellationToken cancellationToken);

    /// <summary>Messages ready for delivery in <paramref name="queue"/> (0 when it does not exist).</summary>
    Task<long> CountReadyAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Makes the broker unreachable, as an outage would.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Brings a stopped broker back and waits until it accepts clients.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}
