// Reads the runtime's own counters in-process (a MeterListener on the operator's meter), the same series
// /metrics exports: controller_runtime_reconcile_total and workqueue_retries_total. Used for the "no unbounded
// retry loop" check: over a quiet window after convergence the counters must stand still (or, for keys that
// legitimately keep retrying with backoff, grow by no more than backoff allows).
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Operator.Runtime.Metrics;

namespace Operator.IntegrationTests.Chaos;

/// <summary>Running totals of reconciles (by result) and work-queue retries.</summary>
internal sealed class ReconcileCounters : IDisposable
{
    private readonly MeterListener listener = new();
    private long reconciles;
    private long errors;
    private long retries;
    private readonly ConcurrentDictionary<string, long> watchRestarts = new(StringComparer.Ordinal);

    public ReconcileCounters()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName && instrument.Name is "controller_runtime_reconcile_total" or "workqueue_retries_total" or "celery_operator_watch_restarts_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "workqueue_retries_total")
            {
                Interlocked.Add(ref retries, value);
                return;
            }

            if (instrument.Name == "celery_operator_watch_restarts_total")
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "reason" && tag.Value is string reason)
                    {
                        watchRestarts.AddOrUpdate(reason, value, (_, total) => total + value);
                    }
                }

                return;
            }

            Interlocked.Add(ref reconciles, value);
            foreach (var tag in tags)
            {
                if (tag.Key == "result" && Equals(tag.Value, "error"))
                {
                    Interlocked.Add(ref errors, value);
                }
            }
        });
        listener.Start();
    }

    /// <summary>Watch streams restarted so far, by reason (closed, expired, inactivity, error).</summary>
    public long WatchRestarts(string reason) => watchRestarts.GetValueOrDefault(reason);

    public CounterReading Read() => new(Interlocked.Read(ref reconciles), Interlocked.Read(ref errors), Interlocked.Read(ref retries));

    public void Dispose() => listener.Dispose();
}

/// <summary>One reading of the counters; subtracting two gives what happened in between.</summary>
internal sealed record CounterReading(long Reconciles, long Errors, long Retries)
{
    public static CounterReading operator -(CounterReading later, CounterReading earlier) =>
        new(later.Reconciles - earlier.Reconciles, later.Errors - earlier.Errors, later.Retries - earlier.Retries);
}
