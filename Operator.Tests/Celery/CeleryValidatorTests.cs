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
        yield return new TestCaseData(Worker(w => w with { Concurrency = 4, Autoscale = new PoolAutoscaleSpec { Max = 8 } }), "spec.workers[0].autoscale").SetName("autoscale with concurrency");
        yield return new TestCaseData(Worker(w => w with { Pool = "threads", Autoscale = new PoolAutoscaleSpec { Max = 8 } }), "spec.workers[0].autoscale").SetName("autoscale on a threads pool");
        yield return new TestCaseData(Worker(w => w with { Autoscale = new PoolAutoscaleSpec { Max = 2, Min = 3 } }), "spec.workers[0].autoscale.min").SetName("autoscale min above max");
        yield return new TestCaseData(Worker(w => w with { TimeLimit = 60, SoftTimeLimit = 60 }), "spec.workers[0].softTimeLimit").SetName("soft time limit not below the hard one");
        yield return new TestCaseData(Worker(w => w with { Concurrency = 2, Args = ["-c4"] }), "spec.workers[0].args").SetName("args repeat concurrency");
        yield return new TestCaseData(Worker(w => w with { Args = ["--loglevel=DEBUG"] }), "spec.workers[0].args").SetName("args repeat the log level");
        yield return new TestCaseData(Worker(w => w with { Hostname = "a@%h", Args = ["-n", "b@%h"] }), "spec.workers[0].args").SetName("args repeat the hostname");
        yield return new TestCaseData(Worker(w => w with { Optimization = "fair", Args = ["-Odefault"] }), "spec.workers[0].args").SetName("args repeat the optimization");
        yield return new TestCaseData(Worker(w => w with { Optimization = "fast" }), "spec.workers[0].optimization").SetName("unknown optimization");
        yield return new TestCaseData(Worker(w => w with { Args = [new string('x', 1025)] }), "spec.workers[0].args[0]").SetName("overlong argument");
        yield return new TestCaseData(Worker(w => w with { Autoscaling = new AutoscalingSpec { MaxReplicas = 3, Cpu = new UtilizationTarget { TargetUtilization = 50 }, IdleReplicaCount = 0 } }), "spec.workers[0].autoscaling.idleReplicaCount").SetName("idle replicas without queue length");
        yield return new TestCaseData(Worker(w => w with { Autoscaling = new AutoscalingSpec { MinReplicas = 1, MaxReplicas = 3, QueueLength = new QueueLengthTarget { TargetPerReplica = 5 }, IdleReplicaCount = 1 } }), "spec.workers[0].autoscaling.idleReplicaCount").SetName("idle replicas not below min");
        yield return new TestCaseData(Worker(w => w with { Autoscaling = new AutoscalingSpec { MaxReplicas = 3, Cpu = new UtilizationTarget { TargetUtilization = 50 }, Fallback = new QueueLengthFallback { FailureThreshold = 3, Replicas = 1 } } }), "spec.workers[0].autoscaling.fallback").SetName("fallback without queue length");
        yield return new TestCaseData(With(s => s with
        {
            Broker = new BrokerSpec { Type = "rabbitmq", UrlSecretRef = new SecretKeyReference { Name = "s", Key = "url" } },
            Workers = [new WorkerGroupSpec { Name = "w", Autoscaling = new AutoscalingSpec { MaxReplicas = 3, QueueLength = new QueueLengthTarget { TargetPerReplica = 5, PriorityLevels = [3] } } }],
        }), "spec.workers[0].autoscaling.queueLength.priorityLevels").SetName("priority levels on rabbitmq");
        yield return new TestCaseData(Worker(w => w with { Autoscaling = new AutoscalingSpec { MaxReplicas = 3, QueueLength = new QueueLengthTarget { TargetPerReplica = 5, PriorityLevels = [0] } } }), "spec.workers[0].autoscaling.queueLength.priorityLevels").SetName("priority level 0");
        yield return new TestCaseData(With(s => s with { Flower = new FlowerSpec { Inherit = ["volumes"] } }), "spec.flower.inherit[0]").SetName("flower inherits an unknown setting");
    }

    private static CeleryResource Worker(Func<WorkerGroupSpec, WorkerGroupSpec> change) => With(s => s with { Workers = [change(new WorkerGroupSpec { Name = "w" })] });

    [Test]
    public void ArgsWithoutAMatchingFieldStayAllowed()
    {
        var resource = Worker(w => w with { Args = ["--concurrency=3", "--without-gossip", "-Ofair", "--purge"] });
        Assert.That(CeleryValidator.Validate(resource), Is.Empty);
    }

    [Test]
    public void TheCrdRuleOnArgsCoversEveryTypedOption()
    {
        // The CRD's copy of the rule, as an API server would read it.
        var worker = (k8s.Models.V1JSONSchemaProps)Operator.Celery.Crd.CeleryCustomResourceDefinition.Build().Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties["workers"].Items;
        var rule = worker.XKubernetesValidations.Single(v => v.FieldPath == ".args");
        Assert.Multiple(() =>
        {
            foreach (var option in WorkerOptionFlags.All)
            {
                foreach (var prefix in option.Prefixes)
                {
                    Assert.That(rule.Rule, Does.Contain($"a.startsWith('{prefix}')"), option.Field);
                }

                Assert.That(rule.Message, Does.Contain(option.Field));
            }
        });
    }

    [TestCase(120, null, 60, SpecWarning.GracePeriodShorterThanTimeLimit)]
    [TestCase(null, 90, 60, SpecWarning.GracePeriodShorterThanTimeLimit)]
    [TestCase(120, 100, 150, null)]
    public void AGracePeriodShorterThanTheTimeLimitIsAWarning(int? timeLimit, int? softTimeLimit, int grace, string? expected)
    {
        var resource = Worker(w => w with { TimeLimit = timeLimit, SoftTimeLimit = softTimeLimit, TerminationGracePeriodSeconds = grace, Concurrency = 1 });
        Assert.Multiple(() =>
        {
            Assert.That(CeleryValidator.Validate(resource), Is.Empty);
            Assert.That(CeleryValidator.Warnings(resource).Select(w => w.Reason), Is.EqualTo(expected is null ? Array.Empty<string>() : new[] { expected }));
        });
    }

    [Test]
    public void ConcurrencyLeftToTheNodeAndASharedHostnameAreWarnings()
    {
        var fromNode = CeleryValidator.Warnings(Worker(w => w));
        var sized = CeleryValidator.Warnings(Worker(w => w with { Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") } } }));
        var shared = CeleryValidator.Warnings(Worker(w => w with { Concurrency = 2, Hostname = "worker@fixed" }));
        var unique = CeleryValidator.Warnings(Worker(w => w with { Concurrency = 2, Hostname = "worker@%h" }));
        Assert.Multiple(() =>
        {
            Assert.That(fromNode.Select(w => (w.Reason, w.Field)), Is.EqualTo(new[] { (SpecWarning.ConcurrencyFromNode, "spec.workers[0].concurrency") }));
            Assert.That(sized, Is.Empty);
            Assert.That(shared.Select(w => (w.Reason, w.Field)), Is.EqualTo(new[] { (SpecWarning.HostnameNotUnique, "spec.workers[0].hostname") }));
            Assert.That(unique, Is.Empty);
        });
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
        var warnings = CeleryValidator.Warnings(resource).Where(w => w.Reason == SpecWarning.ResourceRequestMissing).ToList();
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
        Assert.That(CeleryValidator.Warnings(resource), Is.Empty, "the limit also sizes the pool, so no concurrency warning either");
    }
}
