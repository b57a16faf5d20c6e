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
/// and <c>1e-08</c>), neither of which it lets us configure. Histograms use the upstream bucket layouts instead of
/// OpenTelemetry's millisecond-oriented defaults. Served on the metrics port only; when
/// <see cref="MetricsOptions.Secure"/>, a request needs a bearer token the API server authenticates (else 401) for a
/// user allowed to <c>get /metrics</c> (else 403), as <see cref="MetricsAccessReviewer"/> decides.
/// </summary>
public static class PrometheusExport
{
    public const string Path = "/metrics";

    /// <summary>How long a scrape may wait for the collection; Prometheus's default scrape timeout is 10 s.</summary>
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>controller-runtime's buckets for <c>controller_runtime_reconcile_time_seconds</c>.</summary>
    private static readonly double[] ReconcileTimeBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    /// <summary>client-go's workqueue buckets: powers of ten from 10 ns to 10 s.</summary>
    private static readonly double[] WorkQueueBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

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
            .AddView("controller_runtime_reconcile_time_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = ReconcileTimeBuckets })
            .AddView("workqueue_queue_duration_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = WorkQueueBuckets })
            .AddView("workqueue_work_duration_seconds", new ExplicitBucketHistogramConfiguration { Boundaries = WorkQueueBuckets })
            .AddReader(sp => sp.GetRequiredService<MetricsScraper>().Reader));
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
