// Wires the generic runtime to the Celery domain: one informer per kind the reconciler reads (Celery, Secrets as
// metadata only, and each child kind, children (the derived KEDA Secret among them) filtered by our managed-by
// label to keep the caches small), event
// handlers mapping changes to Celery keys, a rate-limited queue, and the controller running the reconciler.
// KEDA's kinds are watched only once KEDA is served, so the operator runs (and syncs) on clusters without it.
using k8s;
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Keda;
using Operator.PrometheusOperator;
using Operator.Runtime;
using Operator.Runtime.Apply;
using Operator.Runtime.Cache;
using Operator.Runtime.Discovery;
using Operator.Runtime.Events;
using Operator.Runtime.Handler;
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

    public ControllerOptions Controller { get; init; } = new() { MaxConcurrentReconciles = 4, ResyncPeriod = TimeSpan.FromMinutes(10) };

    public InformerOptions Informer { get; init; } = new();

    public CeleryReconcilerOptions Reconciler { get; init; } = new();

    public EventRecorderOptions Events { get; init; } = new() { Component = FieldManager };
}

/// <summary>The Celery controller and the informers it reads.</summary>
public sealed class CeleryControllerModule : IControllerModule
{
    private static readonly string ManagedBySelector = $"{CeleryLabels.ManagedBy}={CeleryLabels.ManagerName}";
    private readonly CeleryControllerSettings settings;
    private readonly ListWatchClient listWatch;
    private readonly RuntimeMetrics? metrics;
    private readonly ILoggerFactory loggers;
    private readonly TimeProvider time;
    private readonly ApiDiscovery discovery;
    private readonly RateLimitingQueue<ObjectKey> queue;
    private readonly Informer<CeleryResource> celeries;
    private readonly List<IInformer> informers = [];
    private readonly Controller controller;
    private Informer<ScaledObject>? scaledObjects;
    private Informer<TriggerAuthentication>? triggerAuthentications;
    private Informer<ServiceMonitor>? serviceMonitors;

    /// <summary>Registers the module with the host, built from the host's shared services and settings.</summary>
    /// <summary>The settings this module binds, for `--help`; Register overrides the event recorder's identity.</summary>
    public static IReadOnlyList<SettingsUsage.ModuleSection> ConfigurationSections { get; } =
    [
        new(ReconcilerSection, new CeleryReconcilerOptions()),
        new(EventsSection, new EventRecorderOptions(), nameof(EventRecorderOptions.Component), nameof(EventRecorderOptions.Instance)),
    ];

    private const string ReconcilerSection = "Celery";
    private const string EventsSection = "Celery:Events";

    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var reconciler = configuration.GetSection(ReconcilerSection).Get<CeleryReconcilerOptions>() ?? new CeleryReconcilerOptions();
        var events = (configuration.GetSection(EventsSection).Get<EventRecorderOptions>() ?? new EventRecorderOptions()) with
        {
            Component = CeleryControllerSettings.FieldManager,
            Instance = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName,
        };
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
                },
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<RuntimeMetrics>());
        });
    }

    public CeleryControllerModule(Kubernetes kubernetes, CeleryControllerSettings settings, ILoggerFactory loggers, TimeProvider? time = null, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        this.settings = settings;
        this.loggers = loggers;
        this.metrics = metrics;
        this.time = time ?? TimeProvider.System;
        listWatch = new ListWatchClient(kubernetes, settings.Informer.PageSize, metrics);
        discovery = new ApiDiscovery(kubernetes, settings.Reconciler.KedaRecheckInterval, this.time);
        var informerOptions = settings.Informer with { Namespaces = settings.Namespaces };
        queue = new RateLimitingQueue<ObjectKey>(CeleryControllerSettings.ControllerName, ControllerRateLimiter.Create<ObjectKey>(settings.Controller.RateLimiter, this.time), this.time, metrics);

        celeries = NewInformer(CeleryApiResources.Celery, informerOptions, null,
            new ObjectCache<CeleryResource>(new Dictionary<string, IndexFunc<CeleryResource>> { [SecretReferences.IndexName] = SecretReferences.IndexValues }),
            projection: CachedProjections.Celery);
        celeries.AddHandler(new EnqueueForObject<CeleryResource>(queue));

        // Every Secret as metadata only, to learn when a referenced one changes; the referenced ones are read on demand.
        var secretMetadata = NewInformer<PartialObjectMetadata>(CeleryApiResources.Secrets, informerOptions, null, projection: CachedProjections.SecretMetadata);
        secretMetadata.AddHandler(new EnqueueMapped<PartialObjectMetadata>(queue, secret =>
            celeries.Cache.ByIndex(SecretReferences.IndexName, SecretReferences.IndexValue(secret.Metadata.NamespaceProperty, secret.Metadata.Name)).Select(ObjectKeys.Of)));

        var children = new List<IChildCache>
        {
            ChildInformer<V1Deployment>(CeleryApiResources.Deployments, informerOptions, CachedProjections.Deployment),
            ChildInformer<V1Service>(CeleryApiResources.Services, informerOptions, CachedProjections.MetadataOnly),
            ChildInformer<V1PersistentVolumeClaim>(CeleryApiResources.PersistentVolumeClaims, informerOptions, CachedProjections.Claim),
            ChildInformer<V1Ingress>(CeleryApiResources.Ingresses, informerOptions, CachedProjections.MetadataOnly),
            ChildInformer<V1PodDisruptionBudget>(CeleryApiResources.DisruptionBudgets, informerOptions, CachedProjections.MetadataOnly),
            ChildInformer<V2HorizontalPodAutoscaler>(CeleryApiResources.HorizontalPodAutoscalers, informerOptions, CachedProjections.MetadataOnly),
            ChildInformer<V1Secret>(CeleryApiResources.Secrets, informerOptions, CachedProjections.MetadataOnly),
            new ChildCache<ScaledObject>(CeleryApiResources.ScaledObjects, () => scaledObjects),
            new ChildCache<TriggerAuthentication>(CeleryApiResources.TriggerAuthentications, () => triggerAuthentications),
            new ChildCache<ServiceMonitor>(CeleryApiResources.ServiceMonitors, () => serviceMonitors),
        };
        var state = new CeleryClusterState(celeries.Cache, children);
        var client = new ServerSideApplyClient(kubernetes, CeleryControllerSettings.FieldManager, metrics);
        var brokerSecrets = new BrokerSecrets(secretMetadata.Cache, client);
        var events = new EventRecorder(kubernetes, settings.Events, this.time, loggers.CreateLogger<EventRecorder>());
        var reconciler = new CeleryReconciler(state, brokerSecrets, new ChildApplier(client), new StatusWriter(client), events, discovery, settings.Reconciler, this.time, loggers.CreateLogger<CeleryReconciler>());
        controller = new Controller(CeleryControllerSettings.ControllerName, reconciler, queue, settings.Controller, informers, () => celeries.Cache.Snapshot.Keys, this.time, metrics, loggers.CreateLogger<Controller>());
    }

    public string Name => CeleryControllerSettings.ControllerName;

    /// <summary>Informers every instance runs (a standby keeps them warm for a fast fail-over).</summary>
    public IReadOnlyList<IInformer> Informers => informers;

    /// <summary>The queue of Celery keys; exposed for tests and metrics.</summary>
    public IRateLimitingQueue<ObjectKey> Queue => queue;

    /// <summary>Runs the controller, and the informers of KEDA and the Prometheus Operator once each is served, until cancelled.</summary>
    public async Task RunAsLeaderAsync(CancellationToken cancellationToken)
    {
        var informerOptions = settings.Informer with { Namespaces = settings.Namespaces };
        var keda = RunInformersWhenServedAsync(CeleryApiResources.ScaledObjects, "KEDA", () =>
        {
            // Counted apart from the start-up log's informers: these start only once KEDA is served.
            var so = NewInformer<ScaledObject>(CeleryApiResources.ScaledObjects, informerOptions, ManagedBySelector, track: false, projection: CachedProjections.MetadataOnly);
            var ta = NewInformer<TriggerAuthentication>(CeleryApiResources.TriggerAuthentications, informerOptions, ManagedBySelector, track: false, projection: CachedProjections.MetadataOnly);
            so.AddHandler(OwnerHandler<ScaledObject>());
            ta.AddHandler(OwnerHandler<TriggerAuthentication>());
            scaledObjects = so;
            triggerAuthentications = ta;
            return [so, ta];
        }, cancellationToken);
        var monitoring = RunInformersWhenServedAsync(CeleryApiResources.ServiceMonitors, "the Prometheus Operator's ServiceMonitor", () =>
        {
            var sm = NewInformer<ServiceMonitor>(CeleryApiResources.ServiceMonitors, informerOptions, ManagedBySelector, track: false, projection: CachedProjections.MetadataOnly);
            sm.AddHandler(OwnerHandler<ServiceMonitor>());
            serviceMonitors = sm;
            return [sm];
        }, cancellationToken);
        await controller.RunAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(keda, monitoring).ConfigureAwait(false);
    }

    private async Task RunInformersWhenServedAsync(ResourceDescriptor probe, string api, Func<IReadOnlyList<IInformer>> start, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<CeleryControllerModule>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await discovery.IsServedAsync(probe, cancellationToken).ConfigureAwait(false))
                {
                    var started = start();
                    logger.LogInformation("{Api} is served; starting {Count} more informers ({Resources})", api, started.Count, string.Join(", ", started.Select(i => i.Resource)));
                    await Task.WhenAll(started.Select(i => i.RunAsync(cancellationToken))).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Discovery of {Api} failed; retrying", api);
            }

            try
            {
                await Task.Delay(settings.Reconciler.KedaRecheckInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ChildCache<T> ChildInformer<T>(ResourceDescriptor resource, InformerOptions options, ObjectProjection projection)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = NewInformer<T>(resource, options, ManagedBySelector, projection: projection);
        informer.AddHandler(OwnerHandler<T>());
        return new ChildCache<T>(resource, () => informer);
    }

    private EnqueueForControllerOwner<T> OwnerHandler<T>()
        where T : IKubernetesObject<V1ObjectMeta> => new(queue, CeleryResource.KindValue, CeleryResource.ApiVersionValue);

    private Informer<T> NewInformer<T>(ResourceDescriptor resource, InformerOptions options, string? labelSelector, ObjectCache<T>? cache = null, bool track = true, ObjectProjection? projection = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(resource, listWatch, options, cache, labelSelector, time, metrics, loggers.CreateLogger<Informer<T>>(), projection);
        if (track)
        {
            informers.Add(informer);
        }

        return informer;
    }
}
