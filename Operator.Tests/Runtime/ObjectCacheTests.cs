using k8s.Models;
using Operator.Runtime;
using Operator.Runtime.Cache;

namespace Operator.Tests.Runtime;

public sealed class ObjectCacheTests
{
    private const string BySecret = "secret";

    private static V1Pod Pod(string ns, string name, string rv, string? ownerUid = null, params string[] secrets) => new()
    {
        Metadata = new V1ObjectMeta
        {
            NamespaceProperty = ns,
            Name = name,
            ResourceVersion = rv,
            OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Thing", Name = "owner", Uid = ownerUid, Controller = true }],
        },
        Spec = new V1PodSpec { Volumes = [.. secrets.Select(s => new V1Volume { Name = s, Secret = new V1SecretVolumeSource { SecretName = s } })] },
    };

    private static ObjectCache<V1Pod> NewCache() => new(new Dictionary<string, IndexFunc<V1Pod>>
    {
        [BySecret] = pod => pod.Spec?.Volumes?.Where(v => v.Secret is not null).Select(v => $"{pod.Metadata.NamespaceProperty}/{v.Secret.SecretName}") ?? [],
        [CacheIndexes.Namespace] = CacheIndexes.ByNamespace,
    });

    [Test]
    public void IndexesFollowInsertsUpdatesAndDeletes()
    {
        var cache = NewCache();
        cache.Upsert(Pod("a", "p1", "1", "uid-1", "s1"));
        cache.Upsert(Pod("a", "p2", "1", "uid-1", "s1", "s2"));
        cache.Upsert(Pod("b", "p3", "1", null, "s1"));

        Assert.That(cache.ByIndex(CacheIndexes.Namespace, "a").Select(p => p.Metadata.Name), Is.EquivalentTo(new[] { "p1", "p2" }));
        Assert.That(cache.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-1"), Has.Count.EqualTo(2));
        Assert.That(cache.ByIndex(BySecret, "a/s1"), Has.Count.EqualTo(2));
        Assert.That(cache.ByIndex(BySecret, "b/s1"), Has.Count.EqualTo(1));

        cache.Upsert(Pod("a", "p2", "2", "uid-2", "s2"));
        Assert.That(cache.ByIndex(BySecret, "a/s1").Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p1" }));
        Assert.That(cache.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-2").Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p2" }));

        cache.Delete(Pod("a", "p1", "3"));
        Assert.That(cache.ByIndex(BySecret, "a/s1"), Is.Empty);
        Assert.That(cache.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-1"), Is.Empty);
        Assert.That(cache.Snapshot.KeysByIndex(CacheIndexes.Namespace, "a"), Is.EqualTo(new[] { new ObjectKey("a", "p2") }));
        Assert.That(() => cache.ByIndex("missing", "x"), Throws.ArgumentException);
    }

    [Test]
    public void AnIndexValueKeepsEveryObjectAsItGrowsPastAHandfulAndShrinksBack()
    {
        var cache = NewCache();
        var names = Enumerable.Range(0, 25).Select(i => $"p{i}").ToList();
        foreach (var name in names)
        {
            cache.Upsert(Pod("a", name, "1", "uid-1"));
            cache.Upsert(Pod("a", name, "1", "uid-1"));
        }

        var before = cache.Snapshot;
        Assert.That(cache.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-1").Select(p => p.Metadata.Name), Is.EquivalentTo(names));

        foreach (var name in names.Skip(3))
        {
            cache.Delete(Pod("a", name, "2"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(cache.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-1").Select(p => p.Metadata.Name), Is.EquivalentTo(names.Take(3)));
            Assert.That(cache.ByIndex(CacheIndexes.Namespace, "a"), Has.Count.EqualTo(3));
            Assert.That(before.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-1"), Has.Count.EqualTo(25), "an earlier snapshot is unchanged");
        });

        cache.Upsert(Pod("a", "p0", "3", "uid-2"));
        cache.Delete(Pod("a", "p1", "3"));
        cache.Delete(Pod("a", "p2", "3"));
        Assert.Multiple(() =>
        {
            Assert.That(cache.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-1"), Is.Empty);
            Assert.That(cache.ByIndex(CacheIndexes.ControllerOwnerUid, "uid-2").Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p0" }));
        });
    }

    [Test]
    public void TransformDropsManagedFieldsAndLastApplied()
    {
        var cache = NewCache();
        var pod = Pod("a", "p", "1");
        pod.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl" }];
        pod.Metadata.Annotations = new Dictionary<string, string> { [ObjectTransforms.LastAppliedAnnotation] = "{}", ["keep"] = "me" };

        var change = cache.Upsert(pod);

        var stored = cache.Get(new ObjectKey("a", "p"))!;
        Assert.That(stored.Metadata.ManagedFields, Is.Null);
        Assert.That(stored.Metadata.Annotations, Is.EquivalentTo(new Dictionary<string, string> { ["keep"] = "me" }));
        Assert.That(change!.Object, Is.SameAs(stored));
    }

    [Test]
    public void UpsertReportsAddedModifiedAndIgnoresTheSameVersion()
    {
        var cache = NewCache();
        Assert.That(cache.Upsert(Pod("a", "p", "1"))!.Type, Is.EqualTo(CacheChangeType.Added));
        Assert.That(cache.Upsert(Pod("a", "p", "1")), Is.Null);
        var modified = cache.Upsert(Pod("a", "p", "2"))!;
        Assert.That(modified.Type, Is.EqualTo(CacheChangeType.Modified));
        Assert.That(modified.Previous!.Metadata.ResourceVersion, Is.EqualTo("1"));
        Assert.That(cache.Delete(Pod("a", "missing", "1")), Is.Null);
    }

    [Test]
    public void ReplaceDeliversTheDifferenceWithinItsNamespaceOnly()
    {
        var cache = NewCache();
        cache.Upsert(Pod("a", "kept", "1"));
        cache.Upsert(Pod("a", "changed", "1"));
        cache.Upsert(Pod("a", "vanished", "1"));
        cache.Upsert(Pod("b", "other", "1"));

        var changes = cache.Replace([Pod("a", "kept", "1"), Pod("a", "changed", "2"), Pod("a", "new", "1")], "a");

        Assert.That(changes.Select(c => $"{c.Type} {c.Object.Metadata.Name}"), Is.EquivalentTo(new[] { "Modified changed", "Added new", "Deleted vanished" }));
        Assert.That(cache.Get(new ObjectKey("b", "other")), Is.Not.Null, "another namespace's watch owns that object");
        Assert.That(cache.Count, Is.EqualTo(4));
    }

    [Test]
    public void SnapshotsAreUnaffectedByLaterWrites()
    {
        var cache = NewCache();
        cache.Upsert(Pod("a", "p1", "1", null, "s"));
        var before = cache.Snapshot;

        cache.Upsert(Pod("a", "p2", "1", null, "s"));
        cache.Delete(Pod("a", "p1", "2"));

        Assert.That(before.List().Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p1" }));
        Assert.That(before.ByIndex(BySecret, "a/s").Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p1" }));
        Assert.That(cache.Snapshot.ByIndex(BySecret, "a/s").Select(p => p.Metadata.Name), Is.EqualTo(new[] { "p2" }));
    }

    [Test]
    public async Task ConcurrentReadersAlwaysSeeIndexesAgreeWithObjects()
    {
        var cache = NewCache();
        using var stop = new CancellationTokenSource();
        var inconsistent = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var snapshot = cache.Snapshot;
                var indexed = snapshot.KeysByIndex(CacheIndexes.Namespace, "a").Count;
                if (indexed != snapshot.Count)
                {
                    Interlocked.Increment(ref inconsistent);
                }
            }
        });
        for (var i = 0; i < 2000; i++)
        {
            cache.Upsert(Pod("a", $"p{i % 50}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (i % 3 == 0)
            {
                cache.Delete(Pod("a", $"p{(i + 7) % 50}", "x"));
            }
        }

        await stop.CancelAsync();
        await reader;
        Assert.That(inconsistent, Is.Zero);
    }
}
