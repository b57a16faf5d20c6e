using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Operator.Runtime.Metrics;

/// <summary>
/// The runtime's instruments on the meter <see cref="MeterName"/>. Instrument names are the Prometheus names
/// (controller-runtime's and client-go's, so existing dashboards work) because the OpenTelemetry Prometheus
/// exporter prints an instrument name as is when it already ends in its unit or <c>_total</c> suffix:
/// <list type="bullet">
/// <item><c>controller_runtime_reconcile_total{controller,result}</c>: result is success, error, requeue or
/// requeue_after, each pre-set to 0 when a controller registers.</item>
/// <item><c>controller_runtime_reconcile_errors_total{controller}</c>, <c>controller_runtime_reconcile_time_seconds{controller}</c>,
/// <c>controller_runtime_max_concurrent_reconciles{controller}</c>, <c>controller_runtime_active_workers{controller}</c>.</item>
/// <item><c>workqueue_depth</c>, <c>workqueue_adds_total</c>, <c>workqueue_queue_duration_seconds</c>,
/// <c>workqueue_work_duration_seconds</c>, <c>workqueue_retries_total</c>, <c>workqueue_unfinished_work_seconds</c>,
/// <c>workqueue_longest_running_processor_seconds</c>, all labelled <c>name</c> and <c>controller</c>.</item>
/// <item><c>celery_operator_watch_restarts_total{resource,reason}</c>, <c>celery_operator_relists_total{resource,reason}</c>,
/// <c>celery_operator_api_requests_total{verb,code}</c>, <c>celery_operator_informer_synced{resource}</c>,
/// <c>celery_operator_leader_is_leader</c>.</item>
/// </list>
/// Every counter series whose labels are known in advance is pre-set to 0 when its controller, queue or informer
/// registers, as controller-runtime does for reconcile results: Prometheus's <c>increase()</c> and <c>rate()</c>
/// need a sample before the first event, or the first event of a series is never counted.
/// </summary>
public sealed class RuntimeMetrics : IDisposable
{
    public const string MeterName = "celery_operator";

    private static readonly string[] ResultLabels = SnakeCaseNames<ReconcileOutcome>();
    private static readonly string[] WatchRestartLabels = SnakeCaseNames<WatchRestartReason>();
    private static readonly string[] RelistLabels = SnakeCaseNames<RelistReason>();

    private readonly Meter meter;
    private readonly Counter<long> reconcileTotal;
    private readonly Counter<long> reconcileErrors;
    private readonly Histogram<double> reconcileTime;
    private readonly Counter<long> queueAdds;
    private readonly Histogram<double> queueDuration;
    private readonly Histogram<double> workDuration;
    private readonly Counter<long> queueRetries;
    private readonly Counter<long> watchRestarts;
    private readonly Counter<long> relists;
    private readonly Counter<long> apiRequests;
    private readonly ConcurrentDictionary<string, IWorkQueueStatus> queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkerCounts> controllers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> synced = new(StringComparer.Ordinal);
    private int isLeader;

    public RuntimeMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        reconcileTotal = meter.CreateCounter<long>("controller_runtime_reconcile_total", description: "Total number of reconciliations per controller.");
        reconcileErrors = meter.CreateCounter<long>("controller_runtime_reconcile_errors_total", description: "Total number of reconciliation errors per controller.");
        reconcileTime = meter.CreateHistogram<double>("controller_runtime_reconcile_time_seconds", "s", "Length of time per reconciliation per controller.");
        meter.CreateObservableGauge("controller_runtime_max_concurrent_reconciles", () => ObserveWorkers(c => c.Max), description: "Maximum number of concurrent reconciles per controller.");
        meter.CreateObservableGauge("controller_runtime_active_workers", () => ObserveWorkers(c => c.Active), description: "Number of currently used workers per controller.");

        queueAdds = meter.CreateCounter<long>("workqueue_adds_total", description: "Total number of adds handled by the workqueue.");
        queueDuration = meter.CreateHistogram<double>("workqueue_queue_duration_seconds", "s", "How long an item stays in the workqueue before being requested.");
        workDuration = meter.CreateHistogram<double>("workqueue_work_duration_seconds", "s", "How long processing an item from the workqueue takes.");
        queueRetries = meter.CreateCounter<long>("workqueue_retries_total", description: "Total number of retries handled by the workqueue.");
        meter.CreateObservableGauge("workqueue_depth", () => ObserveQueues(q => q.Depth), description: "Current depth of the workqueue.");
        meter.CreateObservableGauge("workqueue_unfinished_work_seconds", () => ObserveQueues(q => q.InFlightDurations().Sum(d => d.TotalSeconds)), "s", "Seconds of work in progress not yet observed by work_duration.");
        meter.CreateObservableGauge("workqueue_longest_running_processor_seconds", () => ObserveQueues(q => q.InFlightDurations().DefaultIfEmpty().Max().TotalSeconds), "s", "How long the longest running processor has been running.");

        watchRestarts = meter.CreateCounter<long>("celery_operator_watch_restarts_total", description: "Watch streams restarted, by resource and reason.");
        relists = meter.CreateCounter<long>("celery_operator_relists_total", description: "Full lists performed, by resource and reason.");
        apiRequests = meter.CreateCounter<long>("celery_operator_api_requests_total", description: "Requests to the Kubernetes API, by verb and status code.");
        meter.CreateObservableGauge("celery_operator_informer_synced", ObserveSynced, description: "1 when the informer of a resource has completed its first list.");
        meter.CreateObservableGauge("celery_operator_leader_is_leader", () => Volatile.Read(ref isLeader), description: "1 when this instance holds the leader lease.");
    }

    /// <summary>
    /// Registers a controller: pre-sets its reconcile counters, then publishes its worker gauges (in that order, so a
    /// scrape that shows the gauges shows every counter series too).
    /// </summary>
    public void RegisterController(string controller, int maxConcurrentReconciles, Func<int> activeWorkers)
    {
        ArgumentException.ThrowIfNullOrEmpty(controller);
        var tag = new KeyValuePair<string, object?>("controller", controller);
        foreach (var result in ResultLabels)
        {
            reconcileTotal.Add(0, tag, new KeyValuePair<string, object?>("result", result));
        }

        reconcileErrors.Add(0, tag);
        controllers[controller] = new WorkerCounts(maxConcurrentReconciles, activeWorkers);
    }

    public void ReconcileFinished(string controller, ReconcileOutcome outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("controller", controller);
        reconcileTotal.Add(1, tag, new KeyValuePair<string, object?>("result", ResultLabels[(int)outcome]));
        if (outcome == ReconcileOutcome.Error)
        {
            reconcileErrors.Add(1, tag);
        }

        reconcileTime.Record(duration.TotalSeconds, tag);
    }

    /// <summary>The event sink for one queue, its counters pre-set; its gauges are read from <paramref name="status"/>.</summary>
    public IWorkQueueMetrics ForQueue(IWorkQueueStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        queues[status.Name] = status;
        var tags = QueueTags(status.Name);
        queueAdds.Add(0, tags);
        queueRetries.Add(0, tags);
        return new QueueEvents(this, status.Name);
    }

    /// <summary>Registers an informer: its synced gauge reads 0 and its watch-restart and relist counters are pre-set.</summary>
    public void RegisterInformer(string resource)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        var tag = new KeyValuePair<string, object?>("resource", resource);
        foreach (var reason in WatchRestartLabels)
        {
            watchRestarts.Add(0, tag, new KeyValuePair<string, object?>("reason", reason));
        }

        foreach (var reason in RelistLabels)
        {
            relists.Add(0, tag, new KeyValuePair<string, object?>("reason", reason));
        }

        synced[resource] = false;
    }

    public void WatchRestarted(string resource, WatchRestartReason reason) =>
        watchRestarts.Add(1, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("reason", Label(reason)));

    public void Relisted(string resource, RelistReason reason) =>
        relists.Add(1, new KeyValuePair<string, object?>("resource", resource), new KeyValuePair<string, object?>("reason", Label(reason)));

    /// <summary>The <c>reason</c> label value of a watch restart.</summary>
    public static string Label(WatchRestartReason reason) => WatchRestartLabels[(int)reason];

    /// <summary>The <c>reason</c> label value of a relist.</summary>
    public static string Label(RelistReason reason) => RelistLabels[(int)reason];

    public void ApiRequest(string verb, int statusCode) =>
        apiRequests.Add(1, new KeyValuePair<string, object?>("verb", verb), new KeyValuePair<string, object?>("code", statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void InformerSynced(string resource, bool hasSynced) => synced[resource] = hasSynced;

    public void LeaderChanged(bool leading) => Volatile.Write(ref isLeader, leading ? 1 : 0);

    public void Dispose() => meter.Dispose();

    private IEnumerable<Measurement<double>> ObserveQueues(Func<IWorkQueueStatus, double> read) =>
        queues.Values.Select(q => new Measurement<double>(read(q), QueueTags(q.Name))).ToList();

    private IEnumerable<Measurement<int>> ObserveWorkers(Func<WorkerCounts, int> read) =>
        controllers.Select(c => new Measurement<int>(read(c.Value), new KeyValuePair<string, object?>("controller", c.Key))).ToList();

    private IEnumerable<Measurement<int>> ObserveSynced() =>
        synced.Select(s => new Measurement<int>(s.Value ? 1 : 0, new KeyValuePair<string, object?>("resource", s.Key))).ToList();

    /// <summary>Label values of an enum's members: <c>RequeueAfter</c> becomes <c>requeue_after</c>.</summary>
    private static string[] SnakeCaseNames<TEnum>()
        where TEnum : struct, Enum =>
        [.. Enum.GetNames<TEnum>().Select(name => string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString())))];

    private static TagList QueueTags(string name) => new()
    {
        { "name", name },
        { "controller", name },
    };

    private sealed record WorkerCounts(int MaxConcurrent, Func<int> ActiveWorkers)
    {
        public int Max => MaxConcurrent;

        public int Active => ActiveWorkers();
    }

    private sealed class QueueEvents(RuntimeMetrics metrics, string name) : IWorkQueueMetrics
    {
        private readonly TagList tags = QueueTags(name);

        public void Added() => metrics.queueAdds.Add(1, tags);

        public void Started(TimeSpan queued) => metrics.queueDuration.Record(queued.TotalSeconds, tags);

        public void Finished(TimeSpan worked) => metrics.workDuration.Record(worked.TotalSeconds, tags);

        public void Retried() => metrics.queueRetries.Add(1, tags);
    }
}
