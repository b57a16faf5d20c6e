using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Operator.Runtime;
using Operator.Runtime.Builder;
using Operator.Runtime.Cache;
using Operator.Runtime.Discovery;
using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

/// <summary>
/// The controller builder's declarations, checked without a server: objects put into a shared informer's cache before
/// a controller is declared are replayed to the handlers the declaration adds, as an informer does for a late handler.
/// </summary>
public sealed class ControllerBuilderTests
{
    private static readonly ResourceDescriptor Things = new("example.com", "v1", "things", "Thing", Namespaced: true);
    private static readonly ResourceDescriptor ConfigMaps = new("", "v1", "configmaps", "ConfigMap", Namespaced: true);
    private static readonly ResourceDescriptor Widgets = new("widgets.example.com", "v1", "widgets", "Widget", Namespaced: true);
    private static readonly ObjectProjection Whole = new();
    private static readonly ObjectProjection MetadataOnly = new() { KeepLabels = false, KeepAnnotations = [], Keep = [] };
    private const string ManagedBy = "app.kubernetes.io/managed-by=test";

    private Kubernetes kubernetes = null!;
    private SharedInformers informers = null!;

    [SetUp]
    public void SetUp()
    {
        // Nothing here runs an informer, so nothing calls this address.
        kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        informers = new SharedInformers(new ListWatchClient(kubernetes), new InformerOptions(), new ApiDiscovery(kubernetes), TimeSpan.FromSeconds(1), NullLoggerFactory.Instance);
    }

    [TearDown]
    public void TearDown() => kubernetes.Dispose();

    private ControllerBuilder Builder(string name) => new ControllerBuilder(name, informers, new ControllerOptions(), NullLoggerFactory.Instance).OwnedSelectedBy(ManagedBy);

    private static BuiltController Complete(ControllerBuilder<V1ConfigMap> builder) => builder.Complete(_ => new NoReconcile());

    private static V1ConfigMap Object(string name, string? controllerKind = null, string? controllerName = null, string controllerApiVersion = "v1") => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            NamespaceProperty = "ns",
            Name = name,
            ResourceVersion = "1",
            Uid = "uid-" + name,
            OwnerReferences = controllerKind is null ? null : [new V1OwnerReference { ApiVersion = controllerApiVersion, Kind = controllerKind, Name = controllerName, Uid = "uid-" + controllerName, Controller = true }],
        },
    };

    private static async Task<List<string>> DrainAsync(IRateLimitingQueue<ObjectKey> queue)
    {
        var keys = new List<string>();
        while (queue.Length > 0)
        {
            var key = (await queue.GetAsync(CancellationToken.None))!;
            keys.Add(key.ToString());
            queue.Done(key);
        }

        return keys;
    }

    [Test]
    public void TwoControllersDeclaringTheSameKindSelectorAndProjectionShareOneInformer()
    {
        Complete(Builder("one").For<V1ConfigMap>(Things, Whole).Owns<V1Secret>(ConfigMaps, MetadataOnly));
        Complete(Builder("two").For<V1ConfigMap>(Things, Whole).Owns<V1Secret>(ConfigMaps, MetadataOnly));

        Assert.That(informers.All.Select(i => i.Resource), Is.EqualTo(new[] { Things, ConfigMaps }));
    }

    [Test]
    public void AnotherProjectionOrSelectorOfTheSameKindIsAnotherInformer()
    {
        Complete(Builder("one").For<V1ConfigMap>(Things, Whole)
            .Owns<V1Secret>(ConfigMaps, MetadataOnly)
            .Watches<V1Secret>(ConfigMaps, MetadataOnly, (_, _) => [])
            .Watches<V1Secret>(Widgets, Whole, (_, _) => []));
        Complete(Builder("two").For<V1ConfigMap>(Things, Whole).Owns<V1Secret>(ConfigMaps, Whole));

        Assert.That(informers.All.Select(i => i.Resource), Is.EqualTo(new[] { Things, ConfigMaps, ConfigMaps, Widgets, ConfigMaps }));
    }

    [Test]
    public async Task ThePrimaryEnqueuesItselfAnOwnedObjectItsControllerAndAWatchedObjectWhatItsMapFinds()
    {
        informers.GetOrAdd<V1ConfigMap>(Things, null, Whole).Cache.Upsert(Object("thing"));
        // An owned kind's informer caches each object with its applied fingerprint.
        informers.GetOrAdd<Fingerprinted<V1ConfigMap>>(ConfigMaps, ManagedBy, MetadataOnly).Cache.Upsert(new(Object("child", "Thing", "owner", "example.com/v2"), null));
        informers.GetOrAdd<Fingerprinted<V1ConfigMap>>(ConfigMaps, ManagedBy, MetadataOnly).Cache.Upsert(new(Object("foreign", "Other", "stranger", "example.com/v1"), null));
        informers.GetOrAdd<V1ConfigMap>(Widgets, null, MetadataOnly).Cache.Upsert(Object("widget"));

        var built = Complete(Builder("one").For<V1ConfigMap>(Things, Whole)
            .Owns<V1ConfigMap>(ConfigMaps, MetadataOnly)
            .Watches<V1ConfigMap>(Widgets, MetadataOnly, (widget, things) => things.List().Select(t => new ObjectKey("ns", $"{t.Metadata.Name}-via-{widget.Metadata.Name}"))));

        Assert.That(await DrainAsync(built.Queue), Is.EquivalentTo(new[] { "ns/thing", "ns/owner", "ns/thing-via-widget" }), "the owner's group decides, not its version; another kind's child is not ours");
    }

    [Test]
    public void TheReconcilerReadsTheOwnedCachesInDeclarationOrderAndEachWatchedCacheByItsResource()
    {
        ControllerCaches<V1ConfigMap>? seen = null;
        Builder("one").For<V1ConfigMap>(Things, Whole)
            .Owns<V1Secret>(ConfigMaps, MetadataOnly)
            .OwnsWhenServed<V1Service>(Widgets, MetadataOnly)
            .Watches<PartialObjectMetadata>(ConfigMaps, MetadataOnly, (_, _) => [])
            .Complete(caches =>
            {
                seen = caches;
                return new NoReconcile();
            });

        Assert.That(seen!.Owned.Select(o => o.Resource), Is.EqualTo(new[] { ConfigMaps, Widgets }));
        Assert.That(seen.Watched<PartialObjectMetadata>(ConfigMaps), Is.Not.Null);
        Assert.That(() => seen.Watched<PartialObjectMetadata>(Widgets), Throws.InvalidOperationException);
    }

    [Test]
    public void AnInformerOfAKindThatMayNotBeServedIsSyncedAndEmptyUntilItsApiIsServed()
    {
        Complete(Builder("one").For<V1ConfigMap>(Things, Whole).OwnsWhenServed<V1Service>(Widgets, MetadataOnly));
        var served = informers.All.OfType<ServedInformer<Fingerprinted<V1Service>>>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(served.HasSynced, Is.True, "a kind that may never be served must not hold up the controller or readiness");
            Assert.That(served.Started, Is.False);
            Assert.That(served.Cache.Count, Is.Zero);
        });
    }

    [Test]
    public void ASharedInformerFirstDeclaredWithoutAnIndexAskedForLaterIsRefused()
    {
        Complete(Builder("one").For<V1ConfigMap>(Things, Whole));
        var indexed = new Dictionary<string, IndexFunc<V1ConfigMap>> { ["by-name"] = o => [o.Metadata.Name] };

        Assert.That(() => Builder("two").For(Things, Whole, indexed), Throws.InvalidOperationException.With.Message.Contains("by-name"));
    }

    [Test]
    public void AControllerCompletesOnce()
    {
        var builder = Builder("one").For<V1ConfigMap>(Things, Whole);
        Complete(builder);

        Assert.That(() => Complete(builder), Throws.InvalidOperationException);
    }

    private sealed class NoReconcile : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => Task.FromResult(ReconcileResult.Success());
    }
}
