using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Operator.Runtime.Hosting;

/// <summary>Which of the operator's two ports a request arrived on.</summary>
public enum OperatorPort
{
    /// <summary>Plain HTTP for the kubelet: /healthz and /readyz.</summary>
    Probes,

    /// <summary>/metrics: HTTPS with authenticated callers, or plain HTTP when metrics are not secured.</summary>
    Metrics,
}

/// <summary>
/// The operator's two Kestrel listeners, kept apart as controller-runtime keeps its health-probe and metrics
/// servers: probes on <see cref="OperatorOptions.ProbePort"/>, metrics on <see cref="MetricsOptions.Port"/>. Each
/// connection is tagged with the port it arrived on, and each endpoint answers only on its own port (404
/// elsewhere), so the probe port never serves metrics and the metrics port never serves an unauthenticated path.
/// <see cref="ProbeUrl"/> and <see cref="MetricsUrl"/> are the bound addresses (a port of 0 resolved) once started.
/// </summary>
public sealed class OperatorListeners
{
    private ListenOptions? probes;
    private ListenOptions? metrics;
    private bool metricsUseTls;

    public Uri ProbeUrl => Url(probes, tls: false);

    public Uri MetricsUrl => Url(metrics, metricsUseTls);

    /// <summary>Whether <paramref name="context"/> arrived on <paramref name="port"/>.</summary>
    public static bool Arrived(HttpContext context, OperatorPort port)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ArrivalFeature>()?.Port == port;
    }

    /// <summary>Adds both listeners to Kestrel; <paramref name="certificate"/> null serves metrics over plain HTTP.</summary>
    public void Configure(KestrelServerOptions kestrel, OperatorOptions options, MetricsCertificate? certificate)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        metricsUseTls = certificate is not null;
        probes = Listen(kestrel, options.ListenAddress, options.ProbePort, listen => Tag(listen, OperatorPort.Probes));
        metrics = Listen(kestrel, options.ListenAddress, options.Metrics.Port, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificate.Current });
            }

            Tag(listen, OperatorPort.Metrics);
        });
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, IPAddress? address, int port, Action<ListenOptions> configure)
    {
        ListenOptions? configured = null;
        void Capture(ListenOptions listen)
        {
            configured = listen;
            configure(listen);
        }

        if (address is null)
        {
            kestrel.ListenAnyIP(port, Capture);
        }
        else
        {
            kestrel.Listen(address, port, Capture);
        }

        return configured!;
    }

    private static void Tag(ListenOptions listen, OperatorPort port)
    {
        var arrival = new ArrivalFeature(port);
        listen.Use(next => connection =>
        {
            connection.Features.Set(arrival);
            return next(connection);
        });
    }

    private static Uri Url(ListenOptions? listen, bool tls)
    {
        var endPoint = listen?.IPEndPoint ?? throw new InvalidOperationException("The listeners are not configured.");
        var host = endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        return new Uri($"{(tls ? "https" : "http")}://{host}:{endPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private sealed record ArrivalFeature(OperatorPort Port);
}
