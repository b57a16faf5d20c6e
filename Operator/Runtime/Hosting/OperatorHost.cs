namespace Operator.Runtime.Hosting;

/// <summary>
/// Builds and runs the operator's host: settings from configuration (appsettings, environment, command line),
/// console logging, the shared runtime services, the modules the domain registers, and one Kestrel port serving
/// probes and Prometheus metrics.
/// </summary>
public static class OperatorHost
{
    /// <summary>Runs until SIGTERM or a failure; returns the process exit code (1 when the operator failed).</summary>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection, IConfiguration> registerModules)
    {
        var app = Build(args, registerModules);
        await using (app.ConfigureAwait(false))
        {
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
        var settings = OperatorSettings.Bind(builder.Configuration);
        builder.WebHost.UseUrls(settings.Operator.ListenUrl);
        builder.Logging.AddOperatorConsole(settings.Operator.LogFormat);
        builder.Services.AddOperatorRuntime(settings);
        builder.Services.AddPrometheusExport();
        registerModules(builder.Services, builder.Configuration);

        var app = builder.Build();
        app.MapProbes();
        app.MapPrometheusMetrics();
        return app;
    }
}
