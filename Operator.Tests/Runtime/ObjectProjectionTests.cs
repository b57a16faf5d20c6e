using System.Text.Json;
using k8s.Models;
using Operator.Runtime.Apply;
using Operator.Runtime.Cache;
using Operator.Runtime.Source;

namespace Operator.Tests.Runtime;

public sealed class ObjectProjectionTests
{
    private const string Deployment = """
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {
            "name": "w", "namespace": "ns", "uid": "d1", "resourceVersion": "7", "generation": 2,
            "labels": { "app": "w" },
            "annotations": { "kubectl.kubernetes.io/last-applied-configuration": "{}", "note": "kept" },
            "ownerReferences": [ { "apiVersion": "v1", "kind": "Celery", "name": "c", "uid": "u1", "controller": true } ],
            "managedFields": [ { "manager": "op", "operation": "Apply", "fieldsType": "FieldsV1",
                                 "fieldsV1": { "f:metadata": { "f:labels": { "f:app": {} } }, "f:spec": { "f:replicas": {} } } } ]
          },
          "spec": { "replicas": 3, "template": { "spec": { "containers": [ { "name": "worker", "image": "celery:1" } ] } } },
          "status": { "replicas": 3, "readyReplicas": 2, "conditions": [ { "type": "Available", "status": "True" } ] }
        }
        """;

    private static V1Deployment Decode(ObjectProjection projection) => Decode<V1Deployment>(projection);

    private static T Decode<T>(ObjectProjection projection)
    {
        using var document = JsonDocument.Parse(Deployment);
        return projection.Decode<T>(document.RootElement);
    }

    [Test]
    public void KeepsMetadataAndTheNamedPathsOnly()
    {
        var deployment = Decode(new ObjectProjection { Keep = ["spec.replicas", "status.readyReplicas"] });
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Metadata.Name, Is.EqualTo("w"));
            Assert.That(deployment.Metadata.Generation, Is.EqualTo(2));
            Assert.That(deployment.Metadata.OwnerReferences.Single().Uid, Is.EqualTo("u1"));
            Assert.That(deployment.Metadata.ManagedFields, Is.Null);
            Assert.That(deployment.Metadata.Annotations, Does.Not.ContainKey(ObjectTransforms.LastAppliedAnnotation));
            Assert.That(deployment.Metadata.Annotations["note"], Is.EqualTo("kept"));
            Assert.That(deployment.Spec.Replicas, Is.EqualTo(3));
            Assert.That(deployment.Spec.Template, Is.Null);
            Assert.That(deployment.Status.ReadyReplicas, Is.EqualTo(2));
            Assert.That(deployment.Status.Replicas, Is.Null);
            Assert.That(deployment.Status.Conditions, Is.Null);
        });
    }

    [Test]
    public void WithoutKeptPathsEverythingButManagedFieldsStays()
    {
        var deployment = Decode(new ObjectProjection());
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Spec.Template.Spec.Containers.Single().Image, Is.EqualTo("celery:1"));
            Assert.That(deployment.Status.Conditions.Single().Type, Is.EqualTo("Available"));
            Assert.That(deployment.Metadata.ManagedFields, Is.Null);
        });
    }

    [Test]
    public void HoldsTheFingerprintOfTheManagersFieldsComputedBeforeAnythingIsDroppedBesideTheObject()
    {
        var cached = Decode<Fingerprinted<V1Deployment>>(new ObjectProjection { FieldManager = "op", Keep = [] });
        using var document = JsonDocument.Parse(Deployment);
        var expected = AppliedFieldsFingerprint.OfLive(document.RootElement, "op");
        Assert.Multiple(() =>
        {
            Assert.That(expected, Is.Not.Null);
            Assert.That(cached.AppliedFingerprint, Is.EqualTo(expected));
            Assert.That(cached.Object.Spec, Is.Null);
            Assert.That(cached.Object.Metadata.Annotations.Keys, Is.EquivalentTo(new[] { "note" }), "the object's annotations are its own");
            Assert.That(cached.Metadata, Is.SameAs(cached.Object.Metadata), "the cache indexes and handlers read the object's metadata");
            Assert.That(Decode<Fingerprinted<V1Deployment>>(new ObjectProjection { FieldManager = "nobody" }).AppliedFingerprint, Is.Null, "applied by someone else");
            Assert.That(Decode<Fingerprinted<V1Deployment>>(new ObjectProjection()).AppliedFingerprint, Is.Null, "no field manager, no fingerprint");
        });
    }

    [Test]
    public void LeavesOutLabelsAndUnnamedAnnotationsWhenAsked()
    {
        var deployment = Decode(new ObjectProjection { FieldManager = "op", KeepLabels = false, KeepAnnotations = ["note"], Keep = [] });
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Metadata.Labels, Is.Null);
            Assert.That(deployment.Metadata.Annotations.Keys, Is.EquivalentTo(new[] { "note" }));
        });
    }

    [Test]
    public void AnAnnotationMapWithNothingKeptIsLeftOutRatherThanKeptEmpty()
    {
        var deployment = Decode(new ObjectProjection { FieldManager = "op", KeepLabels = false, KeepAnnotations = [], Keep = [] });
        Assert.That(deployment.Metadata.Annotations, Is.Null);
    }

    [Test]
    public void SharingStringsSharesShortStringsAnywhereInTheObjectAndDecodesTheSameObject()
    {
        var sharing = new ObjectProjection { ShareStrings = true };
        var first = Decode(sharing);
        var second = Decode(sharing);
        var plain = Decode(new ObjectProjection());
        Assert.Multiple(() =>
        {
            Assert.That(k8s.KubernetesJson.Serialize(first), Is.EqualTo(k8s.KubernetesJson.Serialize(plain)));
            var firstContainer = first.Spec.Template.Spec.Containers.Single();
            var secondContainer = second.Spec.Template.Spec.Containers.Single();
            Assert.That(ReferenceEquals(firstContainer.Image, secondContainer.Image), Is.True);
            Assert.That(ReferenceEquals(first.Status.Conditions[0].Type, second.Status.Conditions[0].Type), Is.True);
            Assert.That(ReferenceEquals(first.Metadata.Name, second.Metadata.Name), Is.True);
            Assert.That(
                ReferenceEquals(plain.Spec.Template.Spec.Containers.Single().Image, firstContainer.Image),
                Is.False,
                "without ShareStrings a spec string is the decoder's own");
        });
    }

    [Test]
    public void ASharedStringConverterReturnsLongStringsAsRead()
    {
        var pool = new StringPool();
        var options = new JsonSerializerOptions { Converters = { new SharedStringJsonConverter(pool) } };
        var longText = new string('x', SharedStringJsonConverter.MaxSharedLength + 1);
        var shortText = new string('y', SharedStringJsonConverter.MaxSharedLength);
        var first = JsonSerializer.Deserialize<string[]>($"[\"{longText}\", \"{shortText}\", null]", options)!;
        var second = JsonSerializer.Deserialize<string[]>($"[\"{longText}\", \"{shortText}\", null]", options)!;
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { longText, shortText, null }));
            Assert.That(ReferenceEquals(first[0], second[0]), Is.False);
            Assert.That(ReferenceEquals(first[1], second[1]), Is.True);
        });
    }

    [Test]
    public void DecodedObjectsShareTheirRepeatedMetadataStrings()
    {
        var first = Decode(new ObjectProjection());
        var second = Decode(new ObjectProjection());
        Assert.Multiple(() =>
        {
            Assert.That(ReferenceEquals(first.Metadata.NamespaceProperty, second.Metadata.NamespaceProperty), Is.True);
            Assert.That(ReferenceEquals(first.Metadata.OwnerReferences[0].Uid, second.Metadata.OwnerReferences[0].Uid), Is.True);
            Assert.That(ReferenceEquals(first.Metadata.Labels.Keys.Single(), second.Metadata.Labels.Keys.Single()), Is.True);
            Assert.That(ReferenceEquals(first.Metadata.Name, second.Metadata.Name), Is.False, "names are not pooled");
        });
    }

    [Test]
    public void APoolNeverGrowsPastItsCapacityAndAlwaysReturnsAnEqualString()
    {
        var pool = new StringPool(capacity: 10);
        for (var i = 0; i < 1000; i++)
        {
            var text = $"value-{i % 37}";
            Assert.That(pool.Share(text), Is.EqualTo(text));
        }

        Assert.That(pool.Share(null), Is.Null);
    }
}
