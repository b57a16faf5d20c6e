using k8s;
using k8s.Models;
using Operator.Celery.Crd;

namespace Operator.Tests.Celery;

public sealed class CrdTests
{
    private static V1JSONSchemaProps Spec => CeleryCustomResourceDefinition.Build().Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];

    [Test]
    public void CheckedInCrdMatchesTheModel()
    {
        var checkedIn = File.ReadAllText(RepositoryRoot.File(CeleryCustomResourceDefinition.RepositoryPath));
        Assert.That(checkedIn, Is.EqualTo(CeleryCustomResourceDefinition.ToYaml()),
            "deploy/crds is stale: run `dotnet run --project Operator -- crd -o " + CeleryCustomResourceDefinition.RepositoryPath + "`");
    }

    [Test]
    public void CheckedInReferenceMatchesTheModel()
    {
        var checkedIn = File.ReadAllText(RepositoryRoot.File(CeleryCustomResourceDefinition.ReferencePath));
        Assert.That(checkedIn, Is.EqualTo(CeleryCustomResourceDefinition.ToReferenceMarkdown()),
            "docs reference is stale: run `dotnet run --project Operator -- crd --reference -o " + CeleryCustomResourceDefinition.ReferencePath + "`");
    }

    [Test]
    public void CrdRoundTripsAsAValidCustomResourceDefinition()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(CeleryCustomResourceDefinition.ToYaml());
        Assert.Multiple(() =>
        {
            Assert.That(crd.Metadata.Name, Is.EqualTo("celeries.celeryproject.org"));
            Assert.That(crd.Spec.Names.ShortNames, Is.EquivalentTo(new[] { "cel" }));
            Assert.That(crd.Spec.Scope, Is.EqualTo("Namespaced"));
            Assert.That(crd.Spec.Versions[0].Subresources.Status, Is.Not.Null);
            Assert.That(crd.Spec.Versions[0].AdditionalPrinterColumns.Select(c => c.Name), Is.EqualTo(new[] { "Ready", "Workers", "Flower", "Age" }));
        });
    }

    [Test]
    public void WorkersMergeByNameUnderServerSideApply()
    {
        var workers = Spec.Properties["workers"];
        Assert.Multiple(() =>
        {
            Assert.That(workers.XKubernetesListType, Is.EqualTo("map"));
            Assert.That(workers.XKubernetesListMapKeys, Is.EqualTo(new[] { "name" }));
            Assert.That(((V1JSONSchemaProps)workers.Items).Required, Does.Contain("name"));
            Assert.That(workers.MinItems, Is.EqualTo(1));
        });
    }

    [Test]
    public void SchemaCarriesDefaultsEnumsBoundsPatternsAndCelRules()
    {
        var worker = (V1JSONSchemaProps)Spec.Properties["workers"].Items;
        var autoscaling = worker.Properties["autoscaling"];
        Assert.Multiple(() =>
        {
            Assert.That(worker.Properties["pool"].EnumProperty, Is.EquivalentTo(new object[] { "prefork", "threads", "gevent", "eventlet", "solo" }));
            Assert.That(worker.Properties["pool"].DefaultProperty?.ToString(), Is.EqualTo("prefork"));
            Assert.That(worker.Properties["name"].Pattern, Is.Not.Empty);
            Assert.That(worker.Properties["replicas"].Minimum, Is.Zero);
            Assert.That(autoscaling.XKubernetesValidations.Select(v => v.Rule), Does.Contain("self.minReplicas <= self.maxReplicas"));
            Assert.That(worker.XKubernetesValidations.Select(v => v.Message), Has.Some.Contains("mutually exclusive"));
            Assert.That(Spec.Required, Is.SupersetOf(new[] { "image", "app", "broker", "workers" }));
            Assert.That(Spec.Properties["broker"].Properties["type"].EnumProperty, Is.EquivalentTo(new object[] { "redis", "rabbitmq", "sqs" }));
        });
    }

    [Test]
    public void EveryNodeIsStructural()
    {
        var problems = new List<string>();
        Walk(CeleryCustomResourceDefinition.Build().Spec.Versions[0].Schema.OpenAPIV3Schema, "", problems);
        Assert.That(problems, Is.Empty);
    }

    private static void Walk(V1JSONSchemaProps schema, string path, List<string> problems)
    {
        if (schema.Type is null && schema.XKubernetesIntOrString != true && schema.XKubernetesPreserveUnknownFields != true)
        {
            problems.Add($"{path}: no type");
        }

        foreach (var (name, child) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            Walk(child, $"{path}.{name}", problems);
        }

        if (schema.Items is V1JSONSchemaProps items)
        {
            Walk(items, path + "[]", problems);
        }

        if (schema.AdditionalProperties is V1JSONSchemaProps additional)
        {
            Walk(additional, path + "{}", problems);
        }
    }
}
