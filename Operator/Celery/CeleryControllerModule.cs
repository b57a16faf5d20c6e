// The Celery controller, declared: what it reconciles (Celery resources, indexed by the Secrets they reference), what
// it owns (every child kind, its informer selected by our managed-by label to keep the caches small; KEDA's kinds
// and the Prometheus Operator's ServiceMonitor listed only once each is served, so the operator runs and syncs on
// clusters without them), and what it watches besides (every Secret as metadata only, mapped to the resources
// referencing it). What each cache keeps is in CachedProjections. Every replica runs these informers; only the leader runs the controller's workers.
using k8s;
using k8s.Models;
using Operator.Celery.Backlog;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Celery.Scaling;
using Operator.Keda;
using Operator.PrometheusOperator;
using Operator.Runtime;
using Operator.Runtime.Apply;
using Operator.Runtime.Builder;
using Operator.Runtime.Cache;
using Operator.Runtime.Discovery;
using Operator.Runtime.Events;
using Operator.Runtime.Hosting;
using Operator.Runtime.Metrics;
using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Celery;

/// <summary>Settings of the Celery controller.</summary>
public sealed record CeleryControllerSettings
{
    public const string ControllerName = "celery";
    public const string FieldManager = "celery-operator";

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public ControllerOptions Controller { get; init; } = new();

    public InformerOptions Informer { get; init; } = new();

    public CeleryReconcilerOptions Reconciler { get; init; } = new();

    public EventRecorderOptions Events { get; init; } = new() { Component = FieldManager };

    public BacklogOptions Backlog { get; init; } = new();
}

/// <summary>The Celery controller and the informers it reads.</summary>
public sealed class CeleryControllerModule : IControllerModule
{
    private const string ReconcilerSection = "Celery";
    private const string EventsSection = "Celery:Events";
    private static readonly string ManagedBySelector = $"{CeleryLabels.ManagedBy}={CeleryLabels.ManagerName}";

    /// <summary>How a worker group's replicas pass to its autoscaler (see <see cref="Runtime.Apply.ReplicasHandOver"/>).</summary>
    public static ReplicasHandOver ReplicasHandOver { get; } = new(CeleryLabels.ReplicasOwnerAnnotation, CeleryLabels.ReplicasOwnerAutoscaler, "celery-operator-handover");
    private readonly SharedInformers informers;
    private readonly BuiltController controller;
    private readonly BacklogReader? backlogReader;
    private readonly BuiltinScaler? scaler;

    /// <summary>The settings this module binds, for `--help`; Register overrides the event recorder's identity.</summary>
    public static IReadOnlyList<SettingsUsage.ModuleSection> ConfigurationSections { get; } =
    [
        new(ReconcilerSection, new CeleryReconcilerOptions()),
        new(EventsSection, new EventRecorderOptions(), nameof(EventRecorderOptions.Component), nameof(EventRecorderOptions.Instance)),
        new(BacklogOptions.SectionName, new BacklogOptions(), nameof(BacklogOptions.Guard)),
    ];

    /// <summary>Registers the module with the host, built from the host's shared services and settings.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reconciler = configuration.GetSection(ReconcilerSection).Get<CeleryReconcilerOptions>() ?? new CeleryReconcilerOptions();
        var events = (configuration.GetSection(EventsSection).Get<EventRecorderOptions>() ?? new EventRecorderOptions()) with
        {
            Component = CeleryControllerSettings.FieldManager,
            Instance = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName,
        };
        var backlog = configuration.GetSection(BacklogOptions.SectionName).Get<BacklogOptions>() ?? new BacklogOptions();
        backlog.Validate();
        AddMetricStreams(services);
        services.AddControllerModule(sp =>
        {
            var informer = sp.GetRequiredService<InformerOptions>();
            return new CeleryControllerModule(
                sp.GetRequiredService<Kubernetes>(),
                new CeleryControllerSettings
                {
                    Namespaces = informer.Namespaces,
                    Controller = sp.GetRequiredService<ControllerOptions>(),
                    Informer = informer,
                    Reconciler = reconciler,
                    Events = events,
                    Backlog = backlog,
                },
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<RuntimeMetrics>(),
                sp.GetRequiredService<IListWatchClient>(),
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
    }

    /// <summary>Declares the module's instruments with a series per resource, so /metrics keeps every one of them.</summary>
    public static IServiceCollection AddMetricStreams(IServiceCollection services) =>
        services.AddResourceSeriesInstruments([.. BacklogMetrics.ResourceSeriesInstruments, BuiltinScalerMetrics.DesiredReplicas]);

    /// <param name="listWatch">The host's list/watch client; null makes one on <paramref name="kubernetes"/> with the informer settings' page size.</param>
    public CeleryControllerModule(Kubernetes kubernetes, CeleryControllerSettings settings, ILoggerFactory loggers, TimeProvider? time = null, RuntimeMetrics? metrics = null, IListWatchClient? listWatch = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        time ??= TimeProvider.System;
        var informerOptions = settings.Informer with { Namespaces = settings.Namespaces };
        var discovery = new ApiDiscovery(kubernetes, settings.Reconciler.KedaRecheckInterval, time);
        informers = new SharedInformers(
            listWatch ?? new ListWatchClient(kubernetes, informerOptions.PageSize, metrics),
            informerOptions,
            discovery,
            settings.Reconciler.KedaRecheckInterval,
            loggers,
            time,
            metrics);
        var client = new ServerSideApplyClient(kubernetes, CeleryControllerSettings.FieldManager, metrics);
        var events = new EventRecorder(kubernetes, settings.Events, time, loggers.CreateLogger<EventRecorder>());
        BacklogStore = new BacklogStore();
        BacklogMetrics = new BacklogMetrics(BacklogStore, meterFactory);
        ScalerStore = new BuiltinScalerStore();
        ScalerMetrics = new BuiltinScalerMetrics(ScalerStore, meterFactory);
        Memo = new CleanReconcileMemo(CeleryControllerSettings.ControllerName, meterFactory);
        CeleryClusterState? state = null;
        BrokerSecrets? brokerSecrets = null;
        controller = new ControllerBuilder(CeleryControllerSettings.ControllerName, informers, settings.Controller, loggers, time, metrics)
            .OwnedSelectedBy(ManagedBySelector)
            .For(CeleryApiResources.Celery, CachedProjections.Celery, new Dictionary<string, IndexFunc<CeleryResource>> { [SecretReferences.IndexName] = SecretReferences.IndexValues })
            .Owns<V1Deployment>(CeleryApiResources.Deployments, CachedProjections.Deployment)
            .Owns<V1Service>(CeleryApiResources.Services, CachedProjections.MetadataOnly)
            .Owns<V1PersistentVolumeClaim>(CeleryApiResources.PersistentVolumeClaims, CachedProjections.Claim)
            .Owns<V1Ingress>(CeleryApiResources.Ingresses, CachedProjections.MetadataOnly)
            .Owns<V1PodDisruptionBudget>(CeleryApiResources.DisruptionBudgets, CachedProjections.MetadataOnly)
            .Owns<V2HorizontalPodAutoscaler>(CeleryApiResources.HorizontalPodAutoscalers, CachedProjections.MetadataOnly)
            .Owns<V1Secret>(CeleryApiResources.Secrets, CachedProjections.MetadataOnly)
            .OwnsWhenServed<ScaledObject>(CeleryApiResources.ScaledObjects, CachedProjections.MetadataOnly)
            .OwnsWhenServed<TriggerAuthentication>(CeleryApiResources.TriggerAuthentications, CachedProjections.MetadataOnly)
            .OwnsWhenServed<ServiceMonitor>(CeleryApiResources.ServiceMonitors, CachedProjections.MetadataOnly)
            // Every Secret as metadata only, to learn when a referenced one changes; the referenced ones are read on demand.
            .Watches<PartialObjectMetadata>(CeleryApiResources.Secrets, CachedProjections.SecretMetadata, (secret, celeries) =>
                celeries.ByIndex(SecretReferences.IndexName, SecretReferences.IndexValue(secret.Metadata.NamespaceProperty, secret.Metadata.Name)).Select(ObjectKeys.Of))
            .Complete(caches => new CeleryReconciler(
                state = new CeleryClusterState(caches.Primary, caches.Owned),
                brokerSecrets = new BrokerSecrets(caches.Watched<PartialObjectMetadata>(CeleryApiResources.Secrets), client),
                new ChildSetApplier(caches.Owned, client, ReplicasHandOver, CeleryLabels.AppliedHashAnnotation),
                new StatusWriter(client),
                events,
                discovery,
                settings.Reconciler,
                time,
                loggers.CreateLogger<CeleryReconciler>(),
                Memo,
                settings.Backlog.Enabled ? BacklogStore : null,
                settings.Backlog.Enabled ? ScalerStore : null));
        if (settings.Backlog.Enabled && state is not null && brokerSecrets is { } secrets)
        {
            var passes = new BacklogPasses();
            backlogReader = new BacklogReader(state, async (resource, ct) => (await secrets.ResolveAsync(resource, ct).ConfigureAwait(false)).Broker.Endpoint,
                BacklogStore, new QueueDepthReaders(settings.Backlog, time), controller.Queue.Add, events, BacklogMetrics, settings.Backlog, time, loggers.CreateLogger<BacklogReader>(), passes);
            scaler = new BuiltinScaler(state, BacklogStore, ScalerStore, new KubernetesScaleTargetApi(kubernetes, discovery), passes, controller.Queue.Add, events, time, loggers.CreateLogger<BuiltinScaler>());
            informers.GetOrAdd<CeleryResource>(CeleryApiResources.Celery, null, CachedProjections.Celery).AddHandler(new BacklogNudge(backlogReader));
        }
    }

    public string Name => CeleryControllerSettings.ControllerName;

    /// <summary>Every informer the controller reads, KEDA's among them; the host runs them on every replica.</summary>
    public IReadOnlyList<IInformer> Informers => informers.All;

    /// <summary>The queue of Celery keys; exposed for tests and metrics.</summary>
    public IRateLimitingQueue<ObjectKey> Queue => controller.Queue;

    /// <summary>The backlog observations the reader keeps; exposed for tests.</summary>
    public BacklogStore BacklogStore { get; }

    /// <summary>The backlog's instruments.</summary>
    public BacklogMetrics BacklogMetrics { get; }

    /// <summary>The builtin scaler's state of every group it scales; exposed for tests.</summary>
    public BuiltinScalerStore ScalerStore { get; }

    /// <summary>The builtin scaler's instrument.</summary>
    public BuiltinScalerMetrics ScalerMetrics { get; }

    /// <summary>The inputs of each resource's last clean reconcile, which spare the reconciles that would find them again.</summary>
    public CleanReconcileMemo Memo { get; }

    /// <summary>Runs the controller's workers, the backlog reader and the builtin scaler (the leader writes status and replicas), until cancelled.</summary>
    public async Task RunAsLeaderAsync(CancellationToken cancellationToken)
    {
        var controlling = controller.RunAsync(cancellationToken);

        // The reader and the scaler read the caches: a pass over a cache still listing would read a part of the
        // resources and, being the reader's first, end the time in which status keeps the backlog it shows.
        try
        {
            await Task.WhenAll(informers.All.Select(i => i.Synced)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await controlling.ConfigureAwait(false);
            return;
        }

        var scaling = scaler?.RunAsync(cancellationToken) ?? Task.CompletedTask;
        var backlog = backlogReader?.RunAsync(cancellationToken) ?? Task.CompletedTask;
        await controlling.ConfigureAwait(false);
        await backlog.ConfigureAwait(false);
        await scaling.ConfigureAwait(false);
    }
}
