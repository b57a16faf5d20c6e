using k8s;
using k8s.Models;
using Operator.Runtime.Cache;
using Operator.Runtime.Metrics;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Runtime.Builder;

/// <summary>
/// Declares a controller instead of wiring it (after controller-runtime's builder): the primary kind it reconciles,
/// the kinds it owns, the kinds it watches for other reasons, and the reconciler. Every declaration names the
/// resource, the projection its objects decode through, and (for owned kinds) the one label selector of the
/// builder, so what each cache holds is stated in one place. Informers come from <see cref="SharedInformers"/>, so
/// two controllers declaring the same kind, selector and projection share one.
/// </summary>
public sealed class ControllerBuilder
{
    private readonly string name;
    private readonly SharedInformers informers;
    private readonly ControllerOptions options;
    private readonly ILoggerFactory loggers;
    private readonly TimeProvider time;
    private readonly RuntimeMetrics? metrics;
    private string? ownedSelector;

    public ControllerBuilder(string name, SharedInformers informers, ControllerOptions options, ILoggerFactory loggers, TimeProvider? time = null, RuntimeMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        this.name = name;
        this.informers = informers;
        this.options = options;
        this.loggers = loggers;
        this.time = time ?? TimeProvider.System;
        this.metrics = metrics;
    }

    /// <summary>The label selector of every owned kind's informer (children carry the labels the controller sets).</summary>
    public ControllerBuilder OwnedSelectedBy(string labelSelector)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelSelector);
        ownedSelector = labelSelector;
        return this;
    }

    /// <summary>The kind the controller reconciles: each of its changes enqueues its own key.</summary>
    public ControllerBuilder<TPrimary> For<TPrimary>(ResourceDescriptor resource, ObjectProjection projection, IReadOnlyDictionary<string, IndexFunc<TPrimary>>? indexers = null)
        where TPrimary : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(projection);
        return new ControllerBuilder<TPrimary>(
            new ControllerDeclaration(name, informers, options, ownedSelector, loggers, time, metrics),
            resource,
            informers.GetOrAdd(resource, null, projection, indexers));
    }
}
