using Operator.Emulator.Schema;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class SchemaRegistryTests
{
    [TestCase("", "v1", "Namespace", true)]
    [TestCase("", "v1", "Secret", false)]
    [TestCase("", "v1", "ConfigMap", false)]
    [TestCase("", "v1", "Service", true)]
    [TestCase("", "v1", "Event", false)]
    [TestCase("apps", "v1", "Deployment", true)]
    [TestCase("autoscaling", "v2", "HorizontalPodAutoscaler", true)]
    [TestCase("networking.k8s.io", "v1", "Ingress", true)]
    [TestCase("policy", "v1", "PodDisruptionBudget", true)]
    [TestCase("events.k8s.io", "v1", "Event", false)]
    [TestCase("coordination.k8s.io", "v1", "Lease", false)]
    [TestCase("apiextensions.k8s.io", "v1", "CustomResourceDefinition", true)]
    public void ServesTheBuiltInKinds(string group, string version, string kind, bool statusSubresource)
    {
        var registry = SchemaRegistry.CreateBuiltIn();
        Assert.That(registry.Contains(group, version, kind), Is.True);
        Assert.That(registry.Get(group, version, kind).HasStatusSubresource, Is.EqualTo(statusSubresource));
    }

    [Test]
    public void DeclaresTheListMergeKeysOfPodSpecs()
    {
        var pod = SchemaRegistry.CreateBuiltIn().Get("apps", "v1", "Deployment")
            .ChildSchema("spec").ChildSchema("template").ChildSchema("spec");
        var container = pod.ChildSchema("containers").ItemSchema;
        Assert.Multiple(() =>
        {
            Assert.That(pod.ChildSchema("containers").ListMapKeys, Is.EqualTo(new[] { "name" }));
            Assert.That(pod.ChildSchema("initContainers").ListMapKeys, Is.EqualTo(new[] { "name" }));
            Assert.That(pod.ChildSchema("volumes").ListMapKeys, Is.EqualTo(new[] { "name" }));
            Assert.That(pod.ChildSchema("imagePullSecrets").ListMapKeys, Is.EqualTo(new[] { "name" }));
            Assert.That(pod.ChildSchema("tolerations").ListType, Is.EqualTo(ListType.Atomic));
            Assert.That(pod.ChildSchema("topologySpreadConstraints").ListMapKeys, Is.EqualTo(new[] { "topologyKey", "whenUnsatisfiable" }));
            Assert.That(container.ChildSchema("ports").ListMapKeys, Is.EqualTo(new[] { "containerPort", "protocol" }));
            Assert.That(container.ChildSchema("ports").PatchMergeKey, Is.EqualTo("containerPort"));
            Assert.That(container.ChildSchema("env").ListMapKeys, Is.EqualTo(new[] { "name" }));
            Assert.That(container.ChildSchema("envFrom").ListType, Is.EqualTo(ListType.Atomic));
            Assert.That(container.ChildSchema("volumeMounts").ListMapKeys, Is.EqualTo(new[] { "mountPath" }));
        });
    }

    [Test]
    public void DeclaresMetadataAndOtherMergeKeys()
    {
        var registry = SchemaRegistry.CreateBuiltIn();
        var metadata = registry.Get("", "v1", "Secret").ChildSchema("metadata");
        Assert.Multiple(() =>
        {
            Assert.That(metadata.ChildSchema("ownerReferences").ListMapKeys, Is.EqualTo(new[] { "uid" }));
            Assert.That(metadata.ChildSchema("finalizers").ListType, Is.EqualTo(ListType.Set));
            Assert.That(metadata.ChildSchema("labels").AdditionalProperties, Is.Not.Null);
            Assert.That(registry.Get("", "v1", "Service").ChildSchema("spec").ChildSchema("ports").ListMapKeys, Is.EqualTo(new[] { "port", "protocol" }));
            Assert.That(registry.Get("autoscaling", "v2", "HorizontalPodAutoscaler").ChildSchema("spec").ChildSchema("metrics").ListType, Is.EqualTo(ListType.Atomic));
            Assert.That(registry.Get("networking.k8s.io", "v1", "Ingress").ChildSchema("spec").ChildSchema("rules").ListType, Is.EqualTo(ListType.Atomic));
            Assert.That(registry.Get("apps", "v1", "Deployment").ChildSchema("status").ChildSchema("conditions").ListMapKeys, Is.EqualTo(new[] { "type" }));
        });
    }

    [Test]
    public void CustomKindsCanBeRegisteredAndUnregistered()
    {
        var registry = SchemaRegistry.CreateBuiltIn();
        registry.RegisterCustom("example.com", "v1", "Thing", Obj("""{"type":"object","properties":{"spec":{"type":"object"}}}"""));
        Assert.That(registry.Get("example.com", "v1", "Thing").Declares("spec"), Is.True);
        Assert.That(registry.Get("example.com", "v1", "Thing").ChildSchema("metadata").ChildSchema("finalizers").ListType, Is.EqualTo(ListType.Set));

        registry.Unregister("example.com", "v1", "Thing");
        var permissive = registry.Get("example.com", "v1", "Thing");
        Assert.That(permissive.Declares("spec"), Is.False);
        Assert.That(permissive.PreserveUnknownFields, Is.True);
    }
}
