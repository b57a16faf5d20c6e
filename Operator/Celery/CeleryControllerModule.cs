// Wires the generic runtime to the Celery domain: one informer per kind the reconciler reads (Celery, Secrets as
// metadata only, and each child kind, children (the derived KEDA Secret among them) filtered by our managed-by
// label to keep the caches small), event
// handlers mapping changes to Celery keys, a rate-limited queue, and the controller running the reconciler.
// KEDA's kinds are watched only once KEDA is served, so the operator runs (and syncs) on clusters without it.
using k8s;
using k8s.Models;
using Operator.Celery.Backlog;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Keda;
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

    public BacklogOptions Backlog { get; init; } = new();
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
    private readonly BacklogReader? backlogReader;
    private Informer<ScaledObject>? scaledObjects;
    private Informer<TriggerAuthentication>? triggerAuthentications;

    /// <summary>Registers the module with the host, built from the host's shared services and settings.</summary>
    /// <summary>The settings this module binds, for `--help`; Register overrides the event recorder's identity.</summary>
    public static IReadOnlyList<SettingsUsage.ModuleSection> ConfigurationSections { get; } =
    [
        new(ReconcilerSection, new CeleryReconcilerOptions()),
        new(EventsSection, new EventRecorderOptions(), nameof(EventRecorderOptions.Component), nameof(EventRecorderOptions.Instance)),
        new(BacklogOptions.SectionName, new BacklogOptions(), nameof(BacklogOptions.Guard)),
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
        var backlog = configuration.GetSection(BacklogOptions.SectionName).Get<BacklogOptions>() ?? new BacklogOptions();
        backlog.Validate();
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
                sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
    }

    public CeleryControllerModule(Kubernetes kubernetes, CeleryControllerSettings settings, ILoggerFactory loggers, TimeProvider? time = null, RuntimeMetrics? metrics = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
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
            ChildInformer<V1Ingress>(CeleryApiResources.Ingresses, informerOptions, CachedProjections.MetadataOnly),
            ChildInformer<V1PodDisruptionBudget>(CeleryApiResources.DisruptionBudgets, informerOptions, CachedProjections.MetadataOnly),
            ChildInformer<V2HorizontalPodAutoscaler>(CeleryApiResources.HorizontalPodAutoscalers, informerOptions, CachedProjections.MetadataOnly),
            ChildInformer<V1Secret>(CeleryApiResources.Secrets, informerOptions, CachedProjections.MetadataOnly),
            new ChildCache<ScaledObject>(CeleryApiResources.ScaledObjects, () => scaledObjects),
            new ChildCache<TriggerAuthentication>(CeleryApiResources.TriggerAuthentications, () => triggerAuthentications),
        };
        var state = new CeleryClusterState(celeries.Cache, children);
        var client = new ServerSideApplyClient(kubernetes, CeleryControllerSettings.FieldManager, metrics);
        var brokerSecrets = new BrokerSecrets(secretMetadata.Cache, client);
        var events = new EventRecorder(kubernetes, settings.Events, this.time, loggers.CreateLogger<EventRecorder>());
        BacklogStore = new BacklogStore();
        BacklogMetrics = new BacklogMetrics(BacklogStore, meterFactory);
        backlogReader = settings.Backlog.Enabled
            ? new BacklogReader(state, async (resource, ct) => (await brokerSecrets.ResolveAsync(resource, ct).ConfigureAwait(false)).Broker.Endpoint,
                BacklogStore, new QueueDepthReaders(settings.Backlog, this.time), queue.Add, events, BacklogMetrics, settings.Backlog, this.time, loggers.CreateLogger<BacklogReader>())
            : null;
        if (backlogReader is not null)
        {
            celeries.AddHandler(new BacklogNudge(backlogReader));
        }

        var reconciler = new CeleryReconciler(state, brokerSecrets, new ChildApplier(client), new StatusWriter(client), events, discovery, settings.Reconciler, this.time, loggers.CreateLogger<CeleryReconciler>(), BacklogStore);
        controller = new Controller(CeleryControllerSettings.ControllerName, reconciler, queue, settings.Controller, informers, () => celeries.Cache.Snapshot.Keys, this.time, metrics, loggers.CreateLogger<Controller>());
    }

    public string Name => CeleryControllerSettings.ControllerName;

    /// <summary>Informers every instance runs (a standby keeps them warm for a fast fail-over).</summary>
    public IReadOnlyList<IInformer> Informers => informers;

    /// <summary>The queue of Celery keys; exposed for tests and metrics.</summary>
    public IRateLimitingQueue<ObjectKey> Queue => queue;

    /// <summary>The backlog observations the reader keeps; exposed for tests.</summary>
    public BacklogStore BacklogStore { get; }

    /// <summary>The backlog's instruments.</summary>
    public BacklogMetrics BacklogMetrics { get; }

    /// <summary>Runs the controller, and KEDA's informers once KEDA is served, until cancelled.</summary>
    public async Task RunAsLeaderAsync(CancellationToken cancellationToken)
    {
        var keda = RunKedaInformersWhenServedAsync(cancellationToken);
        // The backlog is read only by the leader: it is the one writing status.
        var backlog = backlogReader?.RunAsync(cancellationToken) ?? Task.CompletedTask;
        await controller.RunAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(keda, backlog).ConfigureAwait(false);
    }

    private async Task RunKedaInformersWhenServedAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<CeleryControllerModule>();
        var informerOptions = settings.Informer with { Namespaces = settings.Namespaces };
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await discovery.IsServedAsync(CeleryApiResources.ScaledObjects, cancellationToken).ConfigureAwait(false))
                {
                    // Counted apart from the start-up log's informers: these start only once KEDA is served.
                    logger.LogInformation("KEDA is served; starting 2 more informers ({ScaledObjects}, {TriggerAuthentications})", CeleryApiResources.ScaledObjects, CeleryApiResources.TriggerAuthentications);
                    var so = NewInformer<ScaledObject>(CeleryApiResources.ScaledObjects, informerOptions, ManagedBySelector, track: false, projection: CachedProjections.MetadataOnly);
                    var ta = NewInformer<TriggerAuthentication>(CeleryApiResources.TriggerAuthentications, informerOptions, ManagedBySelector, track: false, projection: CachedProjections.MetadataOnly);
                    so.AddHandler(OwnerHandler<ScaledObject>());
                    ta.AddHandler(OwnerHandler<TriggerAuthentication>());
                    scaledObjects = so;
                    triggerAuthentications = ta;
                    await Task.WhenAll(so.RunAsync(cancellationToken), ta.RunAsync(cancellationToken)).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "KEDA discovery failed; retrying");
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
