using k8s;
using OpenTelemetry.Metrics;
using Operator.Runtime.Metrics;
using Operator.Runtime.Metrics.Exposition;

namespace Operator.Runtime.Hosting;

/// <summary>
/// Serves the <see cref="RuntimeMetrics.MeterName"/> and <see cref="ProcessMetrics.MeterName"/> meters on
/// <c>/metrics</c>, in OpenMetrics when the scraper prefers it (Prometheus does) and in the text format otherwise,
/// both written by <see cref="PrometheusExposition"/> under the instrument names (controller-runtime's and
/// client-go's, so existing dashboards work). The OpenTelemetry SDK aggregates; the exposition is ours because the
/// OpenTelemetry Prometheus exporter names counter families with <c>_total</c> in OpenMetrics (which a strict
/// parser rejects) and spells <c>le</c> differently in its two formats (<c>1</c> and <c>1E-08</c> against <c>1.0</c>
/// and <c>1e-08</c>), neither of which it lets us configure. <see cref="MetricStreams"/> sizes each stream and sets the
/// histogram buckets. Served on the metrics port only; when
/// <see cref="MetricsOptions.Secure"/>, a request needs a bearer token the API server authenticates (else 401) for a
/// user allowed to <c>get /metrics</c> (else 403), as <see cref="MetricsAccessReviewer"/> decides.
/// </summary>
public static class PrometheusExport
{
    public const string Path = "/metrics";

    /// <summary>How long a scrape may wait for the collection; Prometheus's default scrape timeout is 10 s.</summary>
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPrometheusExport(this IServiceCollection services, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        if (options.Secure)
        {
            services.AddSingleton(sp => MetricsCertificate.Create(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<MetricsCertificate>()));
            services.AddSingleton(sp => new MetricsAccessReviewer(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<TimeProvider>(), options));
        }

        services.AddSingleton<MetricsScraper>();
        services.AddSingleton(sp => new ProcessMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RuntimeMetrics.MeterName)
            .AddMeter(ProcessMetrics.MeterName)
            .AddReader(sp => sp.GetRequiredService<MetricsScraper>().Reader));
        // Run when the provider is built, after every module has declared its resource series.
        services.ConfigureOpenTelemetryMeterProvider((sp, metrics) => metrics.AddView(MetricStreams.View(options, sp.GetServices<ResourceSeriesInstruments>())));
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c>; creates the process instruments, which exist from then on.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<ProcessMetrics>();
        var endpoint = app.MapGet(Path, (HttpContext context, MetricsScraper scraper) =>
        {
            var format = ExpositionFormats.Negotiate(context.Request.Headers.Accept.ToString());
            return Results.Text(PrometheusExposition.Write(scraper.Collect(CollectTimeout), format), format.ContentType());
        });
        endpoint.AddEndpointFilter((invocation, next) =>
            OperatorListeners.Arrived(invocation.HttpContext, OperatorPort.Metrics) ? next(invocation) : ValueTask.FromResult<object?>(Results.NotFound()));
        if (app.Services.GetRequiredService<MetricsOptions>().Secure)
        {
            // The reviewer is resolved per request, not here: it needs the API client, whose configuration errors
            // the host reports once, when it starts.
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PrometheusExport).FullName!);
            endpoint.AddEndpointFilter(async (invocation, next) =>
                await AuthorizeAsync(invocation.HttpContext, invocation.HttpContext.RequestServices.GetRequiredService<MetricsAccessReviewer>(), logger).ConfigureAwait(false)
                ?? await next(invocation).ConfigureAwait(false));
        }

        return endpoint;
    }

    /// <summary>Null when the caller may read metrics; otherwise the refusal to send.</summary>
    private static async Task<IResult?> AuthorizeAsync(HttpContext context, MetricsAccessReviewer reviewer, ILogger logger)
    {
        const string Scheme = "Bearer ";
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : string.Empty;
        if (token.Length == 0)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Text("Unauthorized: a bearer token is required\n", statusCode: StatusCodes.Status401Unauthorized);
        }

        MetricsAccess access;
        try
        {
            access = await reviewer.ReviewAsync(token, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is HttpRequestException or k8s.Autorest.HttpOperationException or TaskCanceledException) && !context.RequestAborted.IsCancellationRequested)
        {
            // The message names the API call and its status, never the token.
            logger.LogWarning("Could not review a /metrics caller with the API server: {Reason}", e.Message);
            return Results.Text("Internal Server Error: the API server could not review the token\n", statusCode: StatusCodes.Status500InternalServerError);
        }

        switch (access)
        {
            case MetricsAccess.Allowed:
                return null;
            case MetricsAccess.Unauthenticated:
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.Text("Unauthorized\n", statusCode: StatusCodes.Status401Unauthorized);
            default:
                return Results.Text($"Forbidden: the caller may not get {Path}\n", statusCode: StatusCodes.Status403Forbidden);
        }
    }
}
