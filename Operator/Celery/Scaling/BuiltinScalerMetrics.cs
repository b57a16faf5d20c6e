// The builtin scaler's instrument, on the runtime's meter name so the same exporter serves it:
// celery_builtin_scaler_desired_replicas{namespace,celery,group}, observed from the store at scrape time, one series
// per group the scaler has decided for (none while its target is contested or before its first decision).
// Invariant: labels are names from the resource only.
using System.Diagnostics.Metrics;
using Operator.Runtime.Metrics;

namespace Operator.Celery.Scaling;

/// <summary>Exports the replicas the builtin scaler wants per group.</summary>
public sealed class BuiltinScalerMetrics : IDisposable
{
    public const string DesiredReplicas = "celery_builtin_scaler_desired_replicas";

    private readonly Meter meter;

    public BuiltinScalerMetrics(BuiltinScalerStore store, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        meter = meterFactory?.Create(new MeterOptions(RuntimeMetrics.MeterName)) ?? new Meter(RuntimeMetrics.MeterName);
        meter.CreateObservableGauge(DesiredReplicas, () => Observe(store), description: "Replicas the operator's builtin scaler decided on for a worker group at its last pass.");
    }

    /// <summary>The meter the instrument is on; tests listen to this one only.</summary>
    internal Meter Meter => meter;

    public void Dispose() => meter.Dispose();

    private static IEnumerable<Measurement<int>> Observe(BuiltinScalerStore store)
    {
        foreach (var (key, groups) in store.Snapshot())
        {
            foreach (var (group, scaling) in groups)
            {
                if (scaling.DesiredReplicas is { } desired && scaling.ContestedBy is null)
                {
                    yield return new Measurement<int>(desired, new("namespace", key.Namespace), new("celery", key.Name), new("group", group));
                }
            }
        }
    }
}
