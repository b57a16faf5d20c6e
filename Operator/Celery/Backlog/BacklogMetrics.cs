// The backlog's instruments, on the runtime's meter name so the same exporter serves them:
// celery_queue_messages{namespace,celery,group,queue} and celery_queue_consumers{namespace,celery,group,queue}
// (a queue two groups consume is a series per group), observed from the store at scrape time and absent while the
// resource's reads fail (the last good count is on status, marked stale by its BacklogRead condition); and
// celery_backlog_read_errors_total{namespace,celery,reason}, pre-set to 0 for every reason when a resource is first
// read so increase() sees its first error. Invariant: labels are names from the resource, never a URL or credential.
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Operator.Runtime;
using Operator.Runtime.Metrics;

namespace Operator.Celery.Backlog;

/// <summary>Exports the backlog store and counts failed reads.</summary>
public sealed class BacklogMetrics : IDisposable
{
    public const string QueueMessages = "celery_queue_messages";
    public const string QueueConsumers = "celery_queue_consumers";
    public const string ReadErrors = "celery_backlog_read_errors_total";

    /// <summary>Every instrument here has a series per resource.</summary>
    public static IReadOnlyList<string> ResourceSeriesInstruments { get; } = [QueueMessages, QueueConsumers, ReadErrors];

    private readonly Meter meter;
    private readonly Counter<long> readErrors;
    private readonly ConcurrentDictionary<ObjectKey, bool> counted = new();
    private long readErrorsObserved;

    public BacklogMetrics(BacklogStore store, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        meter = meterFactory?.Create(new MeterOptions(RuntimeMetrics.MeterName)) ?? new Meter(RuntimeMetrics.MeterName);
        meter.CreateObservableGauge(QueueMessages, () => Observe(store, r => r.Messages), description: "Messages waiting in a queue a worker group consumes, as the broker last reported.");
        meter.CreateObservableGauge(QueueConsumers, () => Observe(store, r => r.Consumers), description: "Consumers of a queue a worker group consumes, where the broker reports them (RabbitMQ).");
        readErrors = meter.CreateCounter<long>(ReadErrors, description: "Failed reads of a resource's queue backlog, by reason.");
    }

    /// <summary>Failed reads counted so far, over every resource and reason; for tests and diagnostics.</summary>
    public long ReadErrorsObserved => Interlocked.Read(ref readErrorsObserved);

    /// <summary>The meter the instruments are on; tests listen to this one only.</summary>
    internal Meter Meter => meter;

    public void ReadFailed(ObjectKey resource, string reason)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Register(resource);
        Interlocked.Increment(ref readErrorsObserved);
        readErrors.Add(1, Labels(resource, reason));
    }

    /// <summary>Pre-sets the resource's error series to 0, once.</summary>
    public void Register(ObjectKey resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (counted.TryAdd(resource, true))
        {
            foreach (var reason in BacklogReadFailure.Reasons)
            {
                readErrors.Add(0, Labels(resource, reason));
            }
        }
    }

    public void Dispose() => meter.Dispose();

    private static KeyValuePair<string, object?>[] Labels(ObjectKey resource, string reason) =>
        [new("namespace", resource.Namespace), new("celery", resource.Name), new("reason", reason)];

    private static IEnumerable<Measurement<long>> Observe(BacklogStore store, Func<QueueReading, long?> value)
    {
        foreach (var (key, observation) in store.Snapshot())
        {
            if (observation.Failure is not null)
            {
                continue;
            }

            foreach (var (group, queues) in observation.Groups)
            {
                foreach (var queue in queues.Distinct(StringComparer.Ordinal))
                {
                    if (observation.Queues.FirstOrDefault(r => r.Queue == queue) is { } reading && value(reading) is { } measured)
                    {
                        yield return new Measurement<long>(measured,
                            new("namespace", key.Namespace), new("celery", key.Name), new("group", group), new("queue", queue));
                    }
                }
            }
        }
    }
}
