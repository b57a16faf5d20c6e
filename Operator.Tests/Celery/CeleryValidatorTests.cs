using k8s.Models;
using Operator.Celery.Model;
using Operator.Celery.Validation;

namespace Operator.Tests.Celery;

public sealed class CeleryValidatorTests
{
    private static CeleryResource Valid() => new()
    {
        Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "ns" },
        Spec = new CelerySpec
        {
            Image = "img:1",
            App = "proj",
            Broker = new BrokerSpec { Type = "redis", UrlSecretRef = new SecretKeyReference { Name = "s", Key = "url" } },
            Workers = [new WorkerGroupSpec { Name = "default" }],
        },
    };

    private static CeleryResource With(Func<CelerySpec, CelerySpec> change)
    {
        var resource = Valid();
        resource.Spec = change(resource.Spec);
        return resource;
    }

    private static WorkerGroupSpec Autoscaled(AutoscalingSpec autoscaling, V1ResourceRequirements? resources = null) =>
        new() { Name = "w", Autoscaling = autoscaling, Resources = resources };

    [Test]
    public void SamplesAndTheMinimalResourceAreValid()
    {
        Assert.That(CeleryValidator.Validate(Valid()), Is.Empty);
        foreach (var sample in SampleResources.Names)
        {
            Assert.That(CeleryValidator.Validate(SampleResources.Load(sample)), Is.Empty, sample);
        }
    }

    public static IEnumerable<TestCaseData> InvalidResources()
    {
        yield return new TestCaseData(With(s => s with { Image = "" }), "spec.image").SetName("missing image");
        yield return new TestCaseData(With(s => s with { App = "not an app!" }), "spec.app").SetName("malformed app");
        yield return new TestCaseData(With(s => s with { Broker = s.Broker with { Type = "kafka" } }), "spec.broker.type").SetName("unknown broker type");
        yield return new TestCaseData(With(s => s with { Broker = new BrokerSpec { Type = "redis" } }), "spec.broker.urlSecretRef").SetName("redis without url secret");
        yield return new TestCaseData(With(s => s with { Broker = new BrokerSpec { Type = "sqs" } }), "spec.broker.sqs").SetName("sqs without settings");
        yield return new TestCaseData(With(s => s with { Workers = [] }), "spec.workers").SetName("no workers");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "Bad_Name" }] }), "spec.workers[0].name").SetName("worker name not a DNS label");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a" }, new WorkerGroupSpec { Name = "a" }] }), "spec.workers[1].name").SetName("duplicate worker names");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a", Queues = ["x,y"] }] }), "spec.workers[0].queues[0]").SetName("queue with a comma");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a", Queues = ["x", "x"] }] }), "spec.workers[0].queues").SetName("duplicate queues");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a", Pool = "fork" }] }), "spec.workers[0].pool").SetName("unknown pool");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a", Replicas = -1 }] }), "spec.workers[0].replicas").SetName("negative replicas");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a", Concurrency = 100000 }] }), "spec.workers[0].concurrency").SetName("huge concurrency");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a", Replicas = 2, Autoscaling = new AutoscalingSpec { MaxReplicas = 3, QueueLength = new QueueLengthTarget { TargetPerReplica = 1 } } }] }), "spec.workers[0].replicas").SetName("replicas with autoscaling");
        yield return new TestCaseData(With(s => s with { Workers = [Autoscaled(new AutoscalingSpec { MinReplicas = 5, MaxReplicas = 2, QueueLength = new QueueLengthTarget { TargetPerReplica = 1 } })] }), "spec.workers[0].autoscaling.minReplicas").SetName("min above max");
        yield return new TestCaseData(With(s => s with { Workers = [Autoscaled(new AutoscalingSpec { MaxReplicas = 2 })] }), "spec.workers[0].autoscaling").SetName("autoscaling without a target");
        yield return new TestCaseData(With(s => s with { Workers = [Autoscaled(new AutoscalingSpec { MinReplicas = 0, MaxReplicas = 2, Cpu = new UtilizationTarget { TargetUtilization = 50 } }, new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } })] }), "spec.workers[0].autoscaling.minReplicas").SetName("scale to zero on cpu");
        yield return new TestCaseData(With(s => s with { Workers = [new WorkerGroupSpec { Name = "a", PodDisruptionBudget = new DisruptionBudgetSpec() }] }), "spec.workers[0].podDisruptionBudget").SetName("empty disruption budget");
        yield return new TestCaseData(With(s => s with { Flower = new FlowerSpec { Ingress = new FlowerIngressSpec { Enabled = true } } }), "spec.flower.ingress.host").SetName("ingress without host");
        yield return new TestCaseData(With(s => s with { Flower = new FlowerSpec { Port = 80 } }), "spec.flower.port").SetName("privileged flower port");
    }

    [TestCaseSource(nameof(InvalidResources))]
    public void InvalidResourceNamesTheField(CeleryResource resource, string field)
    {
        var violations = CeleryValidator.Validate(resource);
        Assert.That(violations.Select(v => v.Field), Does.Contain(field), string.Join("; ", violations));
    }

    [Test]
    public void AMissingRequestIsAWarningNotAViolation()
    {
        var resource = With(s => s with
        {
            Workers =
            [
                Autoscaled(new AutoscalingSpec { MaxReplicas = 2, Cpu = new UtilizationTarget { TargetUtilization = 50 }, Memory = new UtilizationTarget { TargetUtilization = 80 } }),
            ],
        });
        var warnings = CeleryValidator.Warnings(resource);
        Assert.Multiple(() =>
        {
            Assert.That(CeleryValidator.Validate(resource), Is.Empty);
            Assert.That(warnings.Select(w => w.Field), Is.EqualTo(new[] { "spec.workers[0].resources.requests.cpu", "spec.workers[0].resources.requests.memory" }));
            Assert.That(warnings[0].Message, Does.Contain("worker group w").And.Contain("LimitRange"));
        });
    }

    [Test]
    public void ALimitStandsInForAMissingRequest()
    {
        var limits = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") } };
        var resource = With(s => s with { Workers = [Autoscaled(new AutoscalingSpec { MaxReplicas = 2, Cpu = new UtilizationTarget { TargetUtilization = 50 } }, limits)] });
        Assert.That(CeleryValidator.Warnings(resource), Is.Empty);
    }
}
