using k8s;

namespace Operator.Runtime.Hosting;

/// <summary>
/// Builds and runs the operator's host: settings from configuration (appsettings, environment, command line),
/// console logging, the shared runtime services, the modules the domain registers, and two Kestrel ports: probes
/// (plain HTTP) and Prometheus metrics (HTTPS with authenticated, authorized callers unless configured otherwise).
/// </summary>
public static class OperatorHost
{
    /// <summary>Short flags and the configuration keys they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> CommandLineFlags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--kubeconfig"] = $"{KubernetesConnectionOptions.SectionName}:{nameof(KubernetesConnectionOptions.KubeConfigPath)}",
        ["--context"] = $"{KubernetesConnectionOptions.SectionName}:{nameof(KubernetesConnectionOptions.Context)}",
    };

    /// <summary>Runs until SIGTERM or a failure; returns the process exit code (1 when the operator failed).</summary>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection, IConfiguration> registerModules)
    {
        WebApplication app;
        try
        {
            app = Build(args, registerModules);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // A setting that does not bind or validate: the message names it; a stack trace would not help.
            await Console.Error.WriteLineAsync($"celery-operator: invalid settings: {e.Message.Split('\n', 2)[0].Trim()}").ConfigureAwait(false);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                // Resolved now, not when the first module asks, so an unusable kubeconfig is one line, not a stack trace.
                app.Services.GetRequiredService<Kubernetes>();
            }
            catch (ClusterConnectionException e)
            {
                await Console.Error.WriteLineAsync($"celery-operator: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            // Resolved before running: RunAsync disposes the host, and with it the service provider, on the way out.
            var status = app.Services.GetRequiredService<OperatorStatus>();
            await app.RunAsync().ConfigureAwait(false);
            return status.Failure is null ? 0 : 1;
        }
    }

    /// <summary>Builds the host without starting it.</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection, IConfiguration> registerModules)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(registerModules);
        var builder = WebApplication.CreateSlimBuilder(args);
        // Lowest-priority defaults: ASP.NET Core would otherwise log five lines per probe and metrics scrape.
        // Any configuration source (appsettings, Logging__LogLevel__... variables, arguments) overrides them.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" },
        });
        // kubectl's flags, as every Kubernetes client spells them, for the two settings a user passes most.
        builder.Configuration.AddCommandLine(args, CommandLineFlags.ToDictionary());
        var settings = OperatorSettings.Bind(builder.Configuration);
        builder.Logging.AddOperatorConsole(settings.Operator.LogFormat);
        builder.Services.AddOperatorRuntime(settings);
        builder.Services.AddPrometheusExport(settings.Operator.Metrics);
        registerModules(builder.Services, builder.Configuration);
        var listeners = new OperatorListeners();
        builder.Services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel((_, kestrel) =>
        {
            var services = kestrel.ApplicationServices;
            listeners.Configure(kestrel, settings.Operator, settings.Operator.Metrics.Secure ? services.GetRequiredService<MetricsCertificate>() : null);
        });

        var app = builder.Build();
        if (settings.Operator.Metrics.Secure)
        {
            // Loaded now, so an unusable certificate directory is an invalid setting, reported before anything runs.
            app.Services.GetRequiredService<MetricsCertificate>();
        }

        app.MapProbes();
        app.MapPrometheusMetrics();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperatorHost).FullName!);
        app.Lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "Serving probes on {ProbeUrl} and metrics on {MetricsUrl} ({MetricsProtection})",
            listeners.ProbeUrl, new Uri(listeners.MetricsUrl, PrometheusExport.Path),
            settings.Operator.Metrics.Secure ? "HTTPS, callers authenticated and authorized by the API server" : "plain HTTP, no authentication"));
        return app;
    }
}
