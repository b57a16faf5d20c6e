using System.Text;
using k8s;
using k8s.Models;
using Operator.Celery.Broker;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Keda;

namespace Operator.Tests.Celery;

public sealed class DesiredStateBuilderTests
{
    private static IEnumerable<string> Samples() => SampleResources.Names;

    private static T Single<T>(DesiredState state, string name) where T : IKubernetesObject<V1ObjectMeta> =>
        state.Objects.OfType<T>().Single(o => o.Metadata.Name == name);

    [TestCaseSource(nameof(Samples))]
    public void EveryChildIsControlledByTheResourceAndLabelled(string sample)
    {
        var resource = SampleResources.Load(sample);
        resource.Metadata.Uid = "0d6c2a8e-3f0e-4b7e-9a55-1f2e3d4c5b6a";
        var state = SampleResources.Build(sample, resource);
        Assert.That(state.Objects, Is.Not.Empty);
        foreach (var child in state.Objects)
        {
            var owner = child.Metadata.OwnerReferences.Single();
            Assert.Multiple(() =>
            {
                Assert.That(owner.Controller, Is.True);
                Assert.That(owner.Uid, Is.EqualTo(resource.Metadata.Uid));
                Assert.That(owner.Kind, Is.EqualTo("Celery"));
                Assert.That(child.Metadata.NamespaceProperty, Is.EqualTo(resource.Metadata.NamespaceProperty));
                Assert.That(child.Metadata.Labels[CeleryLabels.ManagedBy], Is.EqualTo("celery-operator"));
                Assert.That(child.Metadata.Labels[CeleryLabels.Instance], Is.EqualTo(resource.Metadata.Name));
            });
        }
    }

    [TestCaseSource(nameof(Samples))]
    public void NoDeploymentHasBothAnHpaAndAScaledObject(string sample)
    {
        var state = SampleResources.Build(sample);
        var hpaTargets = state.Objects.OfType<V2HorizontalPodAutoscaler>().Select(h => h.Spec.ScaleTargetRef.Name);
        var kedaTargets = state.Objects.OfType<ScaledObject>().Select(s => s.Spec.ScaleTargetRef.Name);
        Assert.That(hpaTargets.Intersect(kedaTargets), Is.Empty);
    }

    [TestCaseSource(nameof(Samples))]
    public void AutoscaledDeploymentsDoNotCarryReplicasAndFixedOnesDo(string sample)
    {
        var resource = SampleResources.Load(sample);
        var state = SampleResources.Build(sample, resource);
        foreach (var group in resource.Spec.Workers)
        {
            var deployment = Single<V1Deployment>(state, $"{resource.Metadata.Name}-worker-{group.Name}");
            Assert.That(deployment.Spec.Replicas, group.Autoscaling is null ? Is.EqualTo(group.Replicas ?? 1) : Is.Null, group.Name);
        }
    }

    [TestCaseSource(nameof(Samples))]
    public void PodsMeetTheRestrictedPodSecurityStandardByDefault(string sample)
    {
        foreach (var deployment in SampleResources.Build(sample).Objects.OfType<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.Multiple(() =>
            {
                Assert.That(pod.SecurityContext.RunAsNonRoot, Is.True);
                Assert.That(pod.SecurityContext.SeccompProfile.Type, Is.EqualTo("RuntimeDefault"));
                Assert.That(pod.HostNetwork, Is.Null.Or.False);
                foreach (var container in pod.Containers)
                {
                    Assert.That(container.SecurityContext.AllowPrivilegeEscalation, Is.False);
                    Assert.That(container.SecurityContext.Capabilities.Drop, Is.EqualTo(new[] { "ALL" }));
                    Assert.That(container.SecurityContext.Privileged, Is.Null.Or.False);
                }
            });
        }
    }

    [TestCaseSource(nameof(Samples))]
    public void BrokerUrlReachesContainersOnlyFromSecrets(string sample)
    {
        var url = SampleResources.BrokerUrls[sample];
        foreach (var container in SampleResources.Build(sample).Objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers))
        {
            var broker = container.Env.Single(e => e.Name == CeleryEnvironment.BrokerUrl);
            Assert.Multiple(() =>
            {
                Assert.That(string.Join(' ', container.Command.Concat(container.Args)), Does.Not.Contain("://"));
                Assert.That(broker.ValueFrom?.SecretKeyRef ?? (object?)broker.Value, Is.Not.Null);
                Assert.That(broker.Value, url == "sqs://" ? Is.EqualTo("sqs://") : Is.Null);
            });
        }
    }

    [Test]
    public void WorkerCommandIsExecFormWithTheGroupsSettings()
    {
        var state = SampleResources.Build("redis-keda");
        var container = Single<V1Deployment>(state, "shop-worker-emails").Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(container.Command, Is.EqualTo(new[] { "celery" }));
            Assert.That(container.Args, Is.EqualTo(new[]
            {
                "--app=shop.celery:app", "worker", "--queues=emails,notifications", "--loglevel=INFO", "--pool=threads", "--concurrency=16", "--prefetch-multiplier=1", "--task-events",
            }));
        });
    }

    [Test]
    public void BeatRunsOneReplicaWithRecreateAndAWritableSchedule()
    {
        var beat = Single<V1Deployment>(SampleResources.Build("redis-keda"), "shop-beat");
        var container = beat.Spec.Template.Spec.Containers.Single();
        var mount = container.VolumeMounts.Single(m => m.MountPath == CeleryCommandLine.BeatScheduleDirectory);
        Assert.Multiple(() =>
        {
            Assert.That(beat.Spec.Replicas, Is.EqualTo(1));
            Assert.That(beat.Spec.Strategy.Type, Is.EqualTo("Recreate"));
            Assert.That(container.Args, Does.Contain($"--schedule={CeleryCommandLine.BeatScheduleDirectory}/celerybeat-schedule"));
            Assert.That(beat.Spec.Template.Spec.Volumes.Single(v => v.Name == mount.Name).EmptyDir, Is.Not.Null);
        });
    }

    [Test]
    public void FlowerIsProbedOnHealthcheckUnderItsUrlPrefix()
    {
        var state = SampleResources.Build("redis-keda");
        var flower = Single<V1Deployment>(state, "shop-flower").Spec.Template.Spec.Containers.Single();
        var ingress = state.Objects.OfType<V1Ingress>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(flower.ReadinessProbe.HttpGet.Path, Is.EqualTo("/flower/healthcheck"));
            Assert.That(flower.LivenessProbe.HttpGet.Path, Is.EqualTo("/flower/healthcheck"));
            Assert.That(flower.Args, Does.Contain("--url_prefix=flower"));
            Assert.That(flower.Env.Single(e => e.Name == "FLOWER_BASIC_AUTH").ValueFrom.SecretKeyRef.Name, Is.EqualTo("shop-flower"));
            Assert.That(ingress.Spec.Rules.Single().Http.Paths.Single().Path, Is.EqualTo("/flower"));
            Assert.That(ingress.Spec.Tls.Single().SecretName, Is.EqualTo("ops-shop-tls"));
        });
    }

    [Test]
    public void RedisTriggerCountsTheQueueListInTheUrlsDatabase()
    {
        var scaled = Single<ScaledObject>(SampleResources.Build("redis-keda"), "shop-worker-default");
        var trigger = scaled.Spec.Triggers.Single(t => t.Type == "redis");
        Assert.Multiple(() =>
        {
            Assert.That(trigger.Metadata["listName"], Is.EqualTo("celery"));
            Assert.That(trigger.Metadata["databaseIndex"], Is.EqualTo("3"));
            Assert.That(trigger.Metadata["address"], Is.EqualTo("redis.shop.svc:6380"));
            Assert.That(trigger.Metadata["enableTLS"], Is.EqualTo("true"));
            Assert.That(scaled.Spec.Triggers.Single(t => t.Type == "cpu").Metadata["value"], Is.EqualTo("80"));
        });
    }

    [Test]
    public void SeveralQueuesScaleOnTheirSum()
    {
        var scaled = Single<ScaledObject>(SampleResources.Build("redis-keda"), "shop-worker-emails");
        Assert.Multiple(() =>
        {
            Assert.That(scaled.Spec.Triggers.Select(t => t.Metadata["listName"]), Is.EqualTo(new[] { "emails", "notifications" }));
            Assert.That(scaled.Spec.Advanced?.ScalingModifiers?.Formula, Is.EqualTo("queue0 + queue1"));
            Assert.That(scaled.Spec.Triggers.Select(t => t.Name), Is.EqualTo(new[] { "queue0", "queue1" }));
            Assert.That(scaled.Spec.Advanced!.ScalingModifiers!.Target, Is.EqualTo("50"));
            Assert.That(scaled.Spec.MinReplicaCount, Is.Zero);
        });
    }

    [Test]
    public void KedaBrokerSecretHoldsOnlyWhatTheScalerNeeds()
    {
        var state = SampleResources.Build("redis-keda");
        var secret = Single<V1Secret>(state, "shop-keda-broker");
        var auth = Single<TriggerAuthentication>(state, "shop-keda-broker");
        Assert.Multiple(() =>
        {
            Assert.That(secret.Data.Keys, Is.EquivalentTo(new[] { "username", "password" }));
            Assert.That(Encoding.UTF8.GetString(secret.Data["password"]), Is.EqualTo("s3cr/t"));
            Assert.That(auth.Spec.SecretTargetRef!.Select(r => r.Parameter), Is.EquivalentTo(new[] { "username", "password" }));
        });
    }

    [Test]
    public void RabbitMqTriggerReadsTheAmqpUrlFromTheDerivedSecret()
    {
        var resource = SampleResources.Load("rabbitmq-hpa");
        resource.Spec = resource.Spec with
        {
            Workers = [new WorkerGroupSpec { Name = "q", Queues = ["render"], Autoscaling = new AutoscalingSpec { MaxReplicas = 3, QueueLength = new QueueLengthTarget { TargetPerReplica = 7 } } }],
        };
        var endpoint = BrokerUrlParser.Parse("rabbitmq", "pyamqp://u:p@mq:5672/vh").Endpoint!;
        var state = DesiredStateBuilder.Build(resource, new BrokerContext(endpoint, null));
        var trigger = state.Objects.OfType<ScaledObject>().Single().Spec.Triggers.Single();
        var secret = state.Objects.OfType<V1Secret>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(trigger.Type, Is.EqualTo("rabbitmq"));
            Assert.That(trigger.Metadata["mode"], Is.EqualTo("QueueLength"));
            Assert.That(trigger.Metadata["queueName"], Is.EqualTo("render"));
            Assert.That(trigger.Metadata["value"], Is.EqualTo("7"));
            Assert.That(Encoding.UTF8.GetString(secret.Data["host"]), Is.EqualTo("amqp://u:p@mq:5672/vh"));
            Assert.That(state.Objects.OfType<V2HorizontalPodAutoscaler>(), Is.Empty);
        });
    }

    [Test]
    public void SqsTriggerUsesKombuQueueNamesAndThePodIdentity()
    {
        var state = SampleResources.Build("sqs");
        var trigger = state.Objects.OfType<ScaledObject>().Single().Spec.Triggers.Single();
        var auth = state.Objects.OfType<TriggerAuthentication>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(trigger.Type, Is.EqualTo("aws-sqs-queue"));
            Assert.That(trigger.Metadata["queueURL"], Is.EqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/thumbnails-resize"));
            Assert.That(trigger.Metadata["awsRegion"], Is.EqualTo("eu-west-1"));
            Assert.That(trigger.Metadata.ContainsKey("awsEndpoint"), Is.False, "AWS's own endpoint");
            Assert.That(auth.Spec.PodIdentity?.Provider, Is.EqualTo("aws"));
            Assert.That(state.Objects.OfType<V1Secret>(), Is.Empty);
        });
    }

    [Test]
    public void AnSqsUrlNamingAHostPointsKedaWhereKombuSends()
    {
        var resource = SampleResources.Load("sqs");
        var endpoint = BrokerUrlParser.Parse("sqs", "sqs://AKIAEXAMPLE:secret@sqs.internal.example:9324").Endpoint!;
        var trigger = DesiredStateBuilder.Build(resource, new BrokerContext(endpoint, null)).Objects.OfType<ScaledObject>().Single().Spec.Triggers.Single();
        Assert.That(trigger.Metadata["awsEndpoint"], Is.EqualTo("http://sqs.internal.example:9324"));
    }

    [Test]
    public void QueueLengthScalingWaitsForTheBrokerWhileEverythingElseIsBuilt()
    {
        var resource = SampleResources.Load("redis-keda");
        var state = DesiredStateBuilder.Build(resource, BrokerContext.Unresolved);
        Assert.Multiple(() =>
        {
            Assert.That(state.Objects.OfType<ScaledObject>(), Is.Empty);
            Assert.That(state.Objects.OfType<V1Deployment>().Count(), Is.EqualTo(4));
            Assert.That(state.Pending, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void RotatedBrokerPasswordChangesThePodTemplate()
    {
        var resource = SampleResources.Load("minimal");
        string Checksum(string url) => SecretChecksum.Compute([("celery-broker", "url", Encoding.UTF8.GetBytes(url))]);
        V1Deployment Worker(string url) => DesiredStateBuilder.Build(resource, new BrokerContext(BrokerUrlParser.Parse("redis", url).Endpoint, Checksum(url))).Objects.OfType<V1Deployment>().First();
        var before = Worker("redis://:old@redis:6379/0").Spec.Template.Metadata.Annotations[CeleryLabels.SecretChecksumAnnotation];
        var after = Worker("redis://:new@redis:6379/0").Spec.Template.Metadata.Annotations[CeleryLabels.SecretChecksumAnnotation];
        var again = Worker("redis://:new@redis:6379/0").Spec.Template.Metadata.Annotations[CeleryLabels.SecretChecksumAnnotation];
        Assert.Multiple(() =>
        {
            Assert.That(after, Is.Not.EqualTo(before));
            Assert.That(again, Is.EqualTo(after));
            Assert.That(after, Does.Not.Contain("new"));
        });
    }

    [Test]
    public void DisablingFlowerAndBeatRemovesTheirObjects()
    {
        var resource = SampleResources.Load("redis-keda");
        resource.Spec = resource.Spec with { Beat = new BeatSpec { Enabled = false }, Flower = new FlowerSpec { Enabled = false } };
        var names = SampleResources.Build("redis-keda", resource).Objects.Select(o => o.Metadata.Name).ToList();
        Assert.That(names, Has.None.Contains("flower").And.None.Contains("beat"));
    }

    [Test]
    public void ResourceLevelSettingsReachWorkerAndBeatPodsAndUserEnvWins()
    {
        var resource = SampleResources.Load("redis-keda");
        resource.Spec = resource.Spec with { Env = [new V1EnvVar { Name = CeleryEnvironment.ResultBackend, Value = "rpc://" }] };
        var deployments = SampleResources.Build("redis-keda", resource).Objects.OfType<V1Deployment>().ToList();
        foreach (var pod in deployments.Where(d => d.Metadata.Name != "shop-flower").Select(d => d.Spec.Template))
        {
            Assert.Multiple(() =>
            {
                Assert.That(pod.Metadata.Labels["team"], Is.EqualTo("payments"));
                Assert.That(pod.Spec.NodeSelector["kubernetes.io/os"], Is.EqualTo("linux"));
                Assert.That(pod.Spec.Containers.Single().Env.Where(e => e.Name == CeleryEnvironment.ResultBackend).Select(e => e.Value), Is.EqualTo(new[] { "rpc://" }));
            });
        }

        // The sample's Flower inherits env only: the variable, but none of spec.podTemplate.
        var flower = deployments.Single(d => d.Metadata.Name == "shop-flower").Spec.Template;
        Assert.Multiple(() =>
        {
            Assert.That(flower.Metadata.Labels.ContainsKey("team"), Is.False);
            Assert.That(flower.Spec.NodeSelector, Is.Null);
            Assert.That(flower.Spec.Containers.Single().Env.Where(e => e.Name == CeleryEnvironment.ResultBackend).Select(e => e.Value), Is.EqualTo(new[] { "rpc://" }));
        });
    }
}
