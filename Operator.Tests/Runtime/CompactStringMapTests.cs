using k8s;
using k8s.Models;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

public sealed class CompactStringMapTests
{
    [Test]
    public void BehavesAsADictionaryWithOrdinalKeys()
    {
        var map = new CompactStringMap { ["a"] = "1", ["B"] = "2" };
        map.Add("b", "3");
        map["a"] = "4";

        Assert.Multiple(() =>
        {
            Assert.That(map, Has.Count.EqualTo(3));
            Assert.That(map["a"], Is.EqualTo("4"), "the indexer replaces");
            Assert.That(map["B"], Is.EqualTo("2"));
            Assert.That(map["b"], Is.EqualTo("3"), "keys are case-sensitive");
            Assert.That(map.TryGetValue("c", out _), Is.False);
            Assert.Throws<KeyNotFoundException>(() => _ = map["c"]);
            Assert.Throws<ArgumentException>(() => map.Add("a", "5"), "a key is added once");
            Assert.That(map.Keys, Is.EqualTo(new[] { "a", "B", "b" }), "insertion order");
        });
    }

    [Test]
    public void RemovesAndClears()
    {
        var map = new CompactStringMap { ["a"] = "1", ["b"] = "2", ["c"] = "3" };

        Assert.Multiple(() =>
        {
            Assert.That(map.Remove("a"), Is.True);
            Assert.That(map.Remove("a"), Is.False);
            Assert.That(map.Remove(new KeyValuePair<string, string>("b", "other")), Is.False, "a pair is removed only with its value");
            Assert.That(map.ToDictionary(), Is.EquivalentTo(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }));
        });

        map.Clear();
        map["d"] = "4";
        Assert.That(map.ToDictionary(), Is.EquivalentTo(new Dictionary<string, string> { ["d"] = "4" }));
    }

    [Test]
    public void SerializesAsAJsonObject()
    {
        var meta = new V1ObjectMeta { Name = "x", Annotations = new CompactStringMap { ["example.com/a"] = "1" } };

        var json = KubernetesJson.Serialize(meta);

        Assert.That(KubernetesJson.Deserialize<V1ObjectMeta>(json).Annotations, Is.EquivalentTo(new Dictionary<string, string> { ["example.com/a"] = "1" }));
    }

    [Test]
    public void SharedMetadataKeepsSmallMapsCompactAndLargeOnesHashed()
    {
        var many = Enumerable.Range(0, CompactStringMap.MaxEntries + 1).ToDictionary(i => $"k{i}", i => $"v{i}");
        var config = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "x", Labels = new Dictionary<string, string> { ["app"] = "celery" }, Annotations = many },
        };

        new StringPool().ShareMetadata(config);

        Assert.Multiple(() =>
        {
            Assert.That(config.Metadata.Labels, Is.TypeOf<CompactStringMap>());
            Assert.That(config.Metadata.Labels["app"], Is.EqualTo("celery"));
            Assert.That(config.Metadata.Annotations, Is.TypeOf<Dictionary<string, string>>());
            Assert.That(config.Metadata.Annotations, Is.EquivalentTo(many));
        });
    }
}
