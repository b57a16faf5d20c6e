namespace Operator.Runtime.Hosting;

/// <summary>
/// How <c>/metrics</c> is served, bound from <c>Operator:Metrics</c>. The default follows controller-runtime's
/// secure metrics (kubebuilder v4): HTTPS on <see cref="Port"/>, every request authenticated with a TokenReview
/// and authorized with a SubjectAccessReview (<c>get</c> on the non-resource URL <c>/metrics</c>). Invariants
/// enforced by <see cref="Validate"/>: a port in 0..65535 (0 picks a free one), a positive cache duration and a
/// positive series limit.
/// </summary>
public sealed record MetricsOptions
{
    /// <summary>The port serving /metrics, and nothing else.</summary>
    public int Port { get; init; } = 8443;

    /// <summary>
    /// True: HTTPS, and only callers the API server authenticates and allows to <c>get /metrics</c> are answered.
    /// False: plain HTTP without authentication, for clusters that protect the port otherwise (a NetworkPolicy,
    /// a service mesh).
    /// </summary>
    public bool Secure { get; init; } = true;

    /// <summary>
    /// A directory holding <c>tls.crt</c> and <c>tls.key</c> (a mounted kubernetes.io/tls Secret, as cert-manager
    /// writes it), re-read when they change; unset: a self-signed certificate made at start-up.
    /// </summary>
    public string? CertDir { get; init; }

    /// <summary>How long an authentication and authorization decision about a token is reused.</summary>
    public TimeSpan DecisionCacheDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The label sets each per-resource metric (<c>celery_queue_messages</c>, <c>celery_backlog_read_errors_total</c>
    /// and the others declared as <see cref="Metrics.ResourceSeriesInstruments"/>) may hold; beyond it the SDK folds new
    /// series into one labelled <c>otel_metric_overflow="true"</c>. The largest is the read errors, 5 per resource:
    /// 60,000 holds 10,000 resources with a fifth to spare for resources deleted and re-created while the process
    /// runs (the SDK frees a label set only at exit). Each stream preallocates about 94 bytes per series it may hold.
    /// </summary>
    public int MaxSeriesPerResourceMetric { get; init; } = 60_000;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 0, "Metrics:Port");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, "Metrics:Port");
        if (DecisionCacheDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Metrics:DecisionCacheDuration", $"Metrics:DecisionCacheDuration must be positive, got {DecisionCacheDuration}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSeriesPerResourceMetric, 1, "Metrics:MaxSeriesPerResourceMetric");
        if (!Secure && !string.IsNullOrEmpty(CertDir))
        {
            throw new ArgumentException("Metrics:CertDir is for HTTPS; it cannot be set with Metrics:Secure=false.", "Metrics:CertDir");
        }
    }
}
