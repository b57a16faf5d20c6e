using System.Net;
using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Runtime.Hosting;

/// <summary>
/// The operator's settings, bound from the configuration section <see cref="SectionName"/> (appsettings,
/// environment variables such as <c>OPERATOR__MAXCONCURRENTRECONCILES</c>, or <c>--Operator:Port=9090</c>).
/// Invariants enforced by <see cref="Validate"/>: a port in 0..65535 (0 picks a free one), a bind address that
/// is <c>*</c> or an IP address, a defined log format, and controller and informer settings that their own
/// records accept.
/// </summary>
public sealed record OperatorOptions
{
    public const string SectionName = "Operator";

    /// <summary>Namespaces to watch; empty watches all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>
    /// Objects per page of an informer's initial list. Each page is held in memory while it is decoded (pages are
    /// pipelined, so two per informer), and its buffer stays pooled afterwards: smaller pages keep that small.
    /// </summary>
    public int ListPageSize { get; init; } = 100;

    /// <summary>Re-enqueues every cached object this often without an API call; zero disables it.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromHours(10);

    /// <summary>The one HTTP port serving /healthz, /readyz and /metrics.</summary>
    public int Port { get; init; } = 8080;

    /// <summary><c>*</c> listens on every interface (in a pod); an IP address listens on that one only.</summary>
    public string BindAddress { get; init; } = "*";

    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary>How long in-flight reconciles may run after shutdown starts before they are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public RateLimiterOptions RateLimiter { get; init; } = new();

    /// <summary>The listening URL Kestrel is given.</summary>
    public string ListenUrl
    {
        get
        {
            if (BindAddress == "*")
            {
                return $"http://*:{Port}";
            }

            var address = IPAddress.Parse(BindAddress);
            return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"http://[{address}]:{Port}"
                : $"http://{address}:{Port}";
        }
    }

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
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 0, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
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
