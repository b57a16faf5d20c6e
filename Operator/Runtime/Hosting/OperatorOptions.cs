using System.Net;
using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Runtime.Hosting;

/// <summary>
/// The operator's settings, bound from the configuration section <see cref="SectionName"/> (appsettings,
/// environment variables such as <c>OPERATOR__MAXCONCURRENTRECONCILES</c>, or <c>--Operator:ProbePort=9090</c>).
/// Invariants enforced by <see cref="Validate"/>: ports in 0..65535 (0 picks a free one) that differ unless 0, a
/// bind address that is <c>*</c> or an IP address, a defined log format, and metrics, controller and informer
/// settings that their own records accept.
/// </summary>
public sealed record OperatorOptions
{
    public const string SectionName = "Operator";

    /// <summary>Namespaces to watch; empty watches all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public int MaxConcurrentReconciles { get; init; } = ControllerOptions.Default.MaxConcurrentReconciles;

    /// <summary>Objects per page of an informer's initial list (<see cref="InformerOptions.PageSize"/>).</summary>
    public int ListPageSize { get; init; } = InformerOptions.Default.PageSize;

    /// <summary>Re-enqueues every cached object this often without an API call; zero disables it.</summary>
    public TimeSpan ResyncPeriod { get; init; } = ControllerOptions.Default.ResyncPeriod;

    /// <summary>The plain-HTTP port serving /healthz and /readyz to the kubelet, and nothing else.</summary>
    public int ProbePort { get; init; } = 8081;

    /// <summary><c>*</c> listens on every interface (in a pod); an IP address listens on that one only. Both ports use it.</summary>
    public string BindAddress { get; init; } = "*";

    public MetricsOptions Metrics { get; init; } = new();

    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary>How long in-flight reconciles may run after shutdown starts before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = ControllerOptions.Default.ShutdownTimeout;

    public RateLimiterOptions RateLimiter { get; init; } = ControllerOptions.Default.RateLimiter;

    /// <summary>The address both ports listen on; null means every interface.</summary>
    public IPAddress? ListenAddress => BindAddress == "*" ? null : IPAddress.Parse(BindAddress);

    /// <summary>The settings every controller of a module runs with.</summary>
    public ControllerOptions ToControllerOptions() => new()
    {
        MaxConcurrentReconciles = MaxConcurrentReconciles,
        ResyncPeriod = ResyncPeriod,
        ShutdownTimeout = ShutdownTimeout,
        RateLimiter = RateLimiter,
    };

    /// <summary>The settings every informer of a module runs with.</summary>
    public InformerOptions ToInformerOptions() => new() { Namespaces = Namespaces, PageSize = ListPageSize };

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ProbePort, 0, nameof(ProbePort));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ProbePort, 65535, nameof(ProbePort));
        Metrics.Validate();
        if (ProbePort != 0 && ProbePort == Metrics.Port)
        {
            throw new ArgumentException($"ProbePort and Metrics:Port must differ, both are {ProbePort}.", nameof(ProbePort));
        }

        if (BindAddress != "*" && !IPAddress.TryParse(BindAddress, out _))
        {
            throw new ArgumentException($"BindAddress must be '*' or an IP address, got '{BindAddress}'.", nameof(BindAddress));
        }

        if (!Enum.IsDefined(LogFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(LogFormat), $"Unknown log format {LogFormat}.");
        }

        ToControllerOptions().Validate();
        ToInformerOptions().Validate();
    }
}
