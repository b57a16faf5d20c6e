// The CRD's CEL rules (x-kubernetes-validations), evaluated by an independent CEL implementation the way an API
// server evaluates them: after the schema's defaults are applied (the emulator's defaulting does that), each rule
// with `self` bound to the value at its schema node, skipped where the value is absent. The operator's validator re-implements every rule in C#; these tests check that the two agree, on the
// samples (no rule fails) and on resources that break one rule each (the rule fails and the validator names the
// same field).
using System.Text.Json.Nodes;
using Cel;
using k8s;
using k8s.Models;
using Operator.Celery.Crd;
using Operator.Celery.Model;
using Operator.Celery.Validation;
using Operator.Emulator.Schema;

namespace Operator.Tests.Celery;

public sealed class CrdCelRulesTests
{
    private static readonly V1JSONSchemaProps SpecSchema = CeleryCustomResourceDefinition.Build().Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];
    private static readonly CelEnvironment Environment = new(null, null);
    private static readonly TypeSchema Defaulting = DefaultingSchema();

    /// <summary>A failed rule: the path of its field (the node's path plus the rule's fieldPath) and its message.</summary>
    private sealed record Failure(string Field, string Message);

    private static IEnumerable<string> Samples() => SampleResources.Names;

    [TestCaseSource(nameof(Samples))]
    public void EverySampleSatisfiesEveryRule(string sample)
    {
        var spec = Defaulted(KubernetesJson.Serialize(SampleResources.Load(sample)));
        Assert.That(Evaluate(SpecSchema, spec, "spec"), Is.Empty);
    }

    private static IEnumerable<TestCaseData> OneBrokenRule()
    {
        static TestCaseData Worker(string name, string worker, string field) =>
            new TestCaseData($"{{\"name\": \"w\", {worker}}}", field).SetName(name);

        yield return Worker("autoscale with concurrency", "\"concurrency\": 4, \"autoscale\": {\"max\": 8}", "spec.workers[0].autoscale");
        yield return Worker("autoscale on threads", "\"pool\": \"threads\", \"autoscale\": {\"max\": 8}", "spec.workers[0].autoscale");
        yield return Worker("autoscale min above max", "\"autoscale\": {\"max\": 2, \"min\": 3}", "spec.workers[0].autoscale.min");
        yield return Worker("soft limit not below hard", "\"timeLimit\": 60, \"softTimeLimit\": 60", "spec.workers[0].softTimeLimit");
        yield return Worker("replicas with autoscaling", "\"replicas\": 2, \"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"cpu\": {\"targetUtilization\": 50}}", "spec.workers[0].replicas");
        yield return Worker("idle replicas without queue length", "\"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"cpu\": {\"targetUtilization\": 50}, \"idleReplicaCount\": 0}", "spec.workers[0].autoscaling.idleReplicaCount");
        yield return Worker("idle replicas not below min", "\"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"queueLength\": {\"targetPerReplica\": 5}, \"idleReplicaCount\": 1}", "spec.workers[0].autoscaling.idleReplicaCount");
        yield return Worker("fallback without queue length", "\"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"cpu\": {\"targetUtilization\": 50}, \"fallback\": {\"failureThreshold\": 3, \"replicas\": 1}}", "spec.workers[0].autoscaling.fallback");
        yield return Worker("builtin engine with a KEDA polling interval", "\"autoscaling\": {\"minReplicas\": 0, \"maxReplicas\": 3, \"queueLength\": {\"targetPerReplica\": 5, \"engine\": \"builtin\"}, \"pollingIntervalSeconds\": 10}", "spec.workers[0].autoscaling.queueLength.engine");
        yield return Worker("builtin engine with a KEDA fallback", "\"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"queueLength\": {\"targetPerReplica\": 5, \"engine\": \"builtin\"}, \"fallback\": {\"failureThreshold\": 3, \"replicas\": 1}}", "spec.workers[0].autoscaling.queueLength.engine");
        yield return Worker("builtin engine with a cpu target", "\"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"queueLength\": {\"targetPerReplica\": 5, \"engine\": \"builtin\"}, \"cpu\": {\"targetUtilization\": 50}}", "spec.workers[0].autoscaling.queueLength.engine");
        yield return Worker("priority level 0", "\"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"queueLength\": {\"targetPerReplica\": 5, \"priorityLevels\": [0]}}", "spec.workers[0].autoscaling.queueLength.priorityLevels");
    }

    [TestCaseSource(nameof(OneBrokenRule))]
    public void ARuleTheValidatorAlsoChecksFailsOnTheSameField(string worker, string field)
    {
        var (spec, resource) = Resource(worker);
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(SpecSchema, spec, "spec").Select(f => f.Field), Is.EqualTo(new[] { field }), "CEL");
            Assert.That(CeleryValidator.Validate(resource).Select(v => v.Field), Is.EqualTo(new[] { field }), "validator");
        });
    }

    [Test]
    public void PriorityLevelsOnRabbitMqFailTheSpecRule()
    {
        var (spec, resource) = Resource("{\"name\": \"w\", \"autoscaling\": {\"minReplicas\": 1, \"maxReplicas\": 3, \"queueLength\": {\"targetPerReplica\": 5, \"priorityLevels\": [3]}}}", "rabbitmq");
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(SpecSchema, spec, "spec").Select(f => f.Field), Is.EqualTo(new[] { "spec.workers" }), "CEL");
            Assert.That(CeleryValidator.Validate(resource).Select(v => v.Field), Is.EqualTo(new[] { "spec.workers[0].autoscaling.queueLength.priorityLevels" }), "validator");
        });
    }

    /// <summary>Values that set each typed option, for the args rule.</summary>
    private static readonly Dictionary<string, string> OptionValues = new(StringComparer.Ordinal)
    {
        ["queues"] = "[\"q\"]",
        ["pool"] = "\"prefork\"",
        ["logLevel"] = "\"INFO\"",
        ["concurrency"] = "2",
        ["autoscale"] = "{\"max\": 2}",
        ["prefetchMultiplier"] = "1",
        ["maxTasksPerChild"] = "10",
        ["maxMemoryPerChild"] = "1000",
        ["timeLimit"] = "60",
        ["softTimeLimit"] = "30",
        ["optimization"] = "\"fair\"",
        ["withoutGossip"] = "true",
        ["withoutMingle"] = "true",
        ["withoutHeartbeat"] = "true",
        ["hostname"] = "\"w@%h\"",
        ["events"] = "true",
    };

    private static IEnumerable<TestCaseData> RepeatedOptions() =>
        WorkerOptionFlags.All.SelectMany(o => o.Prefixes.Select(p => new TestCaseData(o.Field, p).SetName($"args repeat {o.Field} as {p}")));

    [TestCaseSource(nameof(RepeatedOptions))]
    public void ArgsThatRepeatATypedOptionFailTheRuleAndTheValidator(string field, string prefix)
    {
        var (repeated, repeatedResource) = Resource($"{{\"name\": \"w\", \"{field}\": {OptionValues[field]}, \"args\": [\"{prefix}1\"]}}");
        var (alone, aloneResource) = Resource($"{{\"name\": \"w\", \"{field}\": {OptionValues[field]}, \"args\": [\"--purge\"]}}");
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(SpecSchema, repeated, "spec").Select(f => f.Field), Is.EqualTo(new[] { "spec.workers[0].args" }), "CEL, repeated");
            Assert.That(CeleryValidator.Validate(repeatedResource).Select(v => v.Field), Is.EqualTo(new[] { "spec.workers[0].args" }), "validator, repeated");
            Assert.That(Evaluate(SpecSchema, alone, "spec"), Is.Empty, "CEL, other args");
            Assert.That(CeleryValidator.Validate(aloneResource), Is.Empty, "validator, other args");
        });
    }

    private static IEnumerable<TestCaseData> OneBrokenComponentRule()
    {
        const string Claim = "\"persistence\": {\"size\": \"1Gi\"}";
        static TestCaseData Case(string name, string component, string field) => new TestCaseData(component, field).SetName(name);

        yield return Case("beat args set the schedule file", $"\"beat\": {{\"enabled\": true, {Claim}, \"args\": [\"--schedule=/tmp/s\"]}}", "spec.beat.args");
        yield return Case("beat args set the schedule file with -s", $"\"beat\": {{\"enabled\": true, {Claim}, \"args\": [\"-s\", \"/tmp/s\"]}}", "spec.beat.args");
        yield return Case("beat defines the schedule volume", $"\"beat\": {{\"enabled\": true, {Claim}, \"podTemplate\": {{\"volumes\": [{{\"name\": \"beat-schedule\", \"emptyDir\": {{}}}}]}}}}", "spec.beat.podTemplate.volumes");
        yield return Case("flower persistence with two replicas", $"\"flower\": {{{Claim}, \"replicas\": 2}}", "spec.flower.replicas");
        yield return Case("flower args set --db", $"\"flower\": {{{Claim}, \"args\": [\"--db=/tmp/f.db\"]}}", "spec.flower.args");
        yield return Case("flower args set --persistent", $"\"flower\": {{{Claim}, \"args\": [\"--persistent=False\"]}}", "spec.flower.args");
        yield return Case("flower defines the state volume", $"\"flower\": {{{Claim}, \"podTemplate\": {{\"volumes\": [{{\"name\": \"flower-state\", \"emptyDir\": {{}}}}]}}}}", "spec.flower.podTemplate.volumes");
    }

    [TestCaseSource(nameof(OneBrokenComponentRule))]
    public void AComponentRuleTheValidatorAlsoChecksFailsOnTheSameField(string component, string field)
    {
        var (spec, resource) = Resource("{\"name\": \"w\"}", extraSpec: component);
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(SpecSchema, spec, "spec").Select(f => f.Field), Is.EqualTo(new[] { field }), "CEL");
            Assert.That(CeleryValidator.Validate(resource).Select(v => v.Field), Is.EqualTo(new[] { field }), "validator");
        });
    }

    [TestCase("\"beat\": {\"enabled\": true, \"scheduler\": \"app.schedulers:Db\", \"args\": [\"--schedule=/tmp/s\"]}")]
    [TestCase("\"beat\": {\"enabled\": true, \"persistence\": {\"size\": \"1Gi\"}, \"args\": [\"--scheduler=app.schedulers:Db\", \"--max-interval=10\"]}")]
    [TestCase("\"flower\": {\"replicas\": 2, \"args\": [\"--db=/tmp/f.db\", \"--persistent=True\"]}")]
    [TestCase("\"flower\": {\"persistence\": {\"size\": \"1Gi\", \"storageClassName\": \"fast\", \"accessModes\": [\"ReadWriteOncePod\"]}, \"args\": [\"--state_save_interval=60000\"]}")]
    public void ComponentSettingsWithoutAClashPassTheRulesAndTheValidator(string component)
    {
        var (spec, resource) = Resource("{\"name\": \"w\"}", extraSpec: component);
        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(SpecSchema, spec, "spec"), Is.Empty, "CEL");
            Assert.That(CeleryValidator.Validate(resource), Is.Empty, "validator");
        });
    }

    private static (JsonNode Spec, CeleryResource Resource) Resource(string worker, string broker = "redis", string? extraSpec = null)
    {
        var extra = extraSpec is null ? "" : ", " + extraSpec;
        var json = $$$"""
            {"apiVersion": "celeryproject.org/v1alpha1", "kind": "Celery", "metadata": {"name": "c", "namespace": "ns"},
             "spec": {"image": "img:1", "app": "proj", "broker": {"type": "{{{broker}}}", "urlSecretRef": {"name": "s", "key": "url"}}, "workers": [{{{worker}}}]{{{extra}}}}}
            """;
        return (Defaulted(json), KubernetesJson.Deserialize<CeleryResource>(json));
    }

    /// <summary>The spec of <paramref name="json"/> with the schema's defaults applied, as admission does before CEL.</summary>
    private static JsonNode Defaulted(string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        Defaulting.ApplyDefaults(obj);
        return obj["spec"]!;
    }

    private static TypeSchema DefaultingSchema()
    {
        var registry = SchemaRegistry.CreateBuiltIn();
        var schema = JsonNode.Parse(KubernetesJson.Serialize(CeleryCustomResourceDefinition.Build().Spec.Versions[0].Schema.OpenAPIV3Schema))!.AsObject();
        registry.RegisterCustom(CeleryResource.Group, CeleryResource.Version, CeleryResource.KindValue, schema, hasStatusSubresource: true);
        return registry.Get(CeleryResource.Group, CeleryResource.Version, CeleryResource.KindValue);
    }

    private static List<Failure> Evaluate(V1JSONSchemaProps schema, JsonNode? value, string path)
    {
        var failures = new List<Failure>();
        if (value is null)
        {
            return failures;
        }

        foreach (var rule in schema.XKubernetesValidations ?? [])
        {
            var program = Environment.Compile(rule.Rule);
            if (program(new Dictionary<string, object?> { ["self"] = ToCel(value) }) is not true)
            {
                failures.Add(new Failure(path + (rule.FieldPath ?? ""), rule.Message));
            }
        }

        switch (value)
        {
            case JsonObject obj when schema.Properties is { } properties:
                foreach (var (name, child) in obj)
                {
                    if (properties.TryGetValue(name, out var childSchema))
                    {
                        failures.AddRange(Evaluate(childSchema, child, $"{path}.{name}"));
                    }
                }

                break;
            case JsonArray array when schema.Items is V1JSONSchemaProps items:
                for (var i = 0; i < array.Count; i++)
                {
                    failures.AddRange(Evaluate(items, array[i], $"{path}[{i}]"));
                }

                break;
            default:
                break;
        }

        return failures;
    }

    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToCel(p.Value)),
        JsonArray array => array.Select(ToCel).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.GetValue<string>(),
        _ => throw new NotSupportedException(node.ToJsonString()),
    };
}
