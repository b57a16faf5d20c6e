using k8s;
using k8s.Models;
using Operator.Runtime.Cache;
using Operator.Runtime.Discovery;
using Operator.Runtime.Handler;

namespace Operator.Runtime.Source;

/// <summary>
/// An informer of a kind whose API may not be served, such as a CRD installed after the operator (KEDA's
/// ScaledObject). It runs like any other informer, on every replica, but lists and watches only once discovery sees
/// the API, asking again every recheck interval until then. Invariants: its cache exists from the start and reads
/// empty until the API is served; <see cref="Synced"/> is complete from the start, because a kind that may never be
/// served must not hold up a controller or readiness (a reader that finds nothing cached asks the API before
/// writing); handlers added before the API is served are attached when the real informer is created; a failed
/// discovery call is logged and retried, never taken for "not served".
/// </summary>
public sealed class ServedInformer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock gate = new();
    private readonly ApiDiscovery discovery;
    private readonly TimeSpan recheck;
    private readonly Func<ObjectCache<T>, Informer<T>> create;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly List<IResourceEventHandler<T>> handlers = [];
    private Informer<T>? informer;

    public ServedInformer(ApiDiscovery discovery, TimeSpan recheck, Func<ObjectCache<T>, Informer<T>> create, ResourceDescriptor resource, TimeProvider time, ILogger<ServedInformer<T>> logger)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        this.discovery = discovery;
        this.recheck = recheck;
        this.create = create;
        this.time = time;
        this.logger = logger;
        Resource = resource;
    }

    public ResourceDescriptor Resource { get; }

    /// <summary>Empty until the API is served; then the informer's cache.</summary>
    public ObjectCache<T> Cache { get; } = new();

    public Task Synced => Task.CompletedTask;

    public bool HasSynced => true;

    /// <summary>Whether the API was found served and the informer started.</summary>
    public bool Started
    {
        get
        {
            lock (gate)
            {
                return informer is not null;
            }
        }
    }

    public void AddHandler(IResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Informer<T>? running;
        lock (gate)
        {
            running = informer;
            if (running is null)
            {
                handlers.Add(handler);
                return;
            }
        }

        running.AddHandler(handler);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!await IsServedAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await Task.Delay(recheck, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        Informer<T> started;
        lock (gate)
        {
            started = informer = create(Cache);
            foreach (var handler in handlers)
            {
                started.AddHandler(handler);
            }

            handlers.Clear();
        }

        logger.LogInformation("{Resource} is served; starting its informer", Resource);
        await started.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> IsServedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await discovery.IsServedAsync(Resource, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed discovery call is retried: the API may be served on the next try.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Discovery of {Resource} failed; retrying", Resource);
            return false;
        }
    }
}
