// What a user sees of the backlog, read the way they would: the BACKLOG column of `kubectl get celery`, and the
// operator's backlog series as a metrics scraper gets them (every instrument of the backlog meter, observed once).
// Shared by the backlog tests of every broker kind.
using System.Diagnostics.Metrics;

namespace Operator.IntegrationTests.Reconciliation;

/// <summary>One observed measurement of a backlog instrument.</summary>
internal sealed record BacklogSeries(string Instrument, IReadOnlyDictionary<string, string> Labels, long Value);

/// <summary>Reads the backlog's printer column and metrics of an operator under test.</summary>
internal static class BacklogProbes
{
    /// <summary>The BACKLOG column of `kubectl get celery <paramref name="name"/>`.</summary>
    public static async Task<string> BacklogColumnAsync(OperatorUnderTest op, string name)
    {
        ArgumentNullException.ThrowIfNull(op);
        var table = (await op.Kubectl.RunAsync("get", "celery", name)).EnsureSuccess().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var headers = table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return values[Array.IndexOf(headers, "BACKLOG")];
    }

    /// <summary>celery_queue_messages by (group, queue).</summary>
    public static Dictionary<(string Group, string Queue), long> QueueMessages(OperatorUnderTest op) =>
        Series(op).Where(s => s.Instrument == "celery_queue_messages")
            .ToDictionary(s => (s.Labels.GetValueOrDefault("group", ""), s.Labels.GetValueOrDefault("queue", "")), s => s.Value);

    /// <summary>Every series of the operator's backlog meter, with its labels.</summary>
    public static IReadOnlyList<BacklogSeries> Series(OperatorUnderTest op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var module = op.Module ?? throw new InvalidOperationException("in-process only");
        var series = new List<BacklogSeries>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == module.BacklogMetrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                labels[tag.Key] = tag.Value?.ToString() ?? "";
            }

            series.Add(new BacklogSeries(instrument.Name, labels, value));
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return series;
    }
}
