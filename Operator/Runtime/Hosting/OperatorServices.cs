using k8s;
using Operator.Runtime.Metrics;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Runtime.Hosting;

/// <summary>
/// The services every module may resolve: the settings records, the derived <see cref="ControllerOptions"/> and
/// <see cref="InformerOptions"/>, one <see cref="Kubernetes"/> client (also as <see cref="IKubernetes"/>), an
/// <see cref="IListWatchClient"/> on it, <see cref="RuntimeMetrics"/>, <see cref="TimeProvider"/>, and the
/// <see cref="OperatorStatus"/>; plus the lifetime service that runs the modules.
/// </summary>
public static class OperatorServices
{
    public static IServiceCollection AddOperatorRuntime(this IServiceCollection services, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(settings.Operator);
        services.AddSingleton(settings.LeaderElection);
        services.AddSingleton(settings.Kubernetes);
        services.AddSingleton(settings.Operator.ToControllerOptions());
        services.AddSingleton(settings.Operator.ToInformerOptions());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new Kubernetes(settings.Kubernetes.ToClientConfiguration()));
        services.AddSingleton<IKubernetes>(sp => sp.GetRequiredService<Kubernetes>());
        services.AddSingleton(sp =>
        {
            // The meter provider (when metrics are exported) must listen before the first measurement: the zeros
            // that controllers, queues and informers pre-set when they are built would otherwise be lost.
            _ = sp.GetService<OpenTelemetry.Metrics.MeterProvider>();
            return new RuntimeMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        services.AddSingleton<IListWatchClient>(sp => new ListWatchClient(sp.GetRequiredService<Kubernetes>(), settings.Operator.ListPageSize, sp.GetRequiredService<RuntimeMetrics>()));
        services.AddSingleton<OperatorStatus>();
        services.AddSingleton<ControllerModules>();
        services.AddHostedService<OperatorLifetimeService>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.HostShutdownTimeout);
        return services;
    }

    /// <summary>Registers a module the host builds at start-up from the shared services.</summary>
    public static IServiceCollection AddControllerModule(this IServiceCollection services, ControllerModuleFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return services.AddSingleton(factory);
    }

    /// <summary>
    /// Declares instruments whose series grow with the number of resources, so their metric streams are sized by
    /// <see cref="MetricsOptions.MaxSeriesPerResourceMetric"/>; call before the host is built.
    /// </summary>
    public static IServiceCollection AddResourceSeriesInstruments(this IServiceCollection services, params IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return services.AddSingleton(new ResourceSeriesInstruments(names));
    }
}
