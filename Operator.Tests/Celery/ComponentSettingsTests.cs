using k8s;
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Keda;

namespace Operator.Tests.Celery;

/// <summary>
/// Per-component pod settings and the merge rule, Flower's isolation, the typed worker options and the
/// Celery-aware defaults, as they appear in the rendered objects of deploy/samples/fleet.yaml.
/// </summary>
public sealed class ComponentSettingsTests
{
    private static DesiredState Fleet(Func<CelerySpec, CelerySpec>? change = null)
    {
        var resource = SampleResources.Load("fleet");
        if (change is not null)
        {
            resource.Spec = change(resource.Spec);
        }

        return SampleResources.Build("fleet", resource);
    }

    private static V1PodTemplateSpec Pod(DesiredState state, string deployment) =>
        state.Objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == deployment).Spec.Template;

    private static V1Container MainContainer(DesiredState state, string deployment) => Pod(state, deployment).Spec.Containers[0];

    private static CelerySpec WithWorker(CelerySpec spec, string name, Func<WorkerGroupSpec, WorkerGroupSpec> change) =>
        spec with { Workers = [.. spec.Workers.Select(w => w.Name == name ? change(w) : w)] };

    [Test]
    public void AGroupsOwnSettingsAreMergedOverTheResourceLevelOnes()
    {
        var state = Fleet();
        var gpu = Pod(state, "fleet-worker-gpu");
        var container = gpu.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(container.Image, Is.EqualTo("ghcr.io/example/fleet-cuda:3.1.0"), "the group's image");
            Assert.That(gpu.Metadata.Labels["team"], Is.EqualTo("ml-platform"), "resource-level labels");
            Assert.That(gpu.Spec.NodeSelector, Is.EqualTo(new Dictionary<string, string> { ["cloud.example.com/accelerator"] = "nvidia-l4" }));
            Assert.That(gpu.Spec.Tolerations.Select(t => t.Key), Is.EqualTo(new[] { "nvidia.com/gpu" }));
            Assert.That(gpu.Spec.PriorityClassName, Is.EqualTo("batch-high"));
            Assert.That(gpu.Spec.Volumes.Select(v => v.Name), Is.EqualTo(new[] { "settings", "model-cache" }), "volumes by name: the resource's, then the group's");
            Assert.That(container.VolumeMounts.Select(m => m.MountPath), Is.EqualTo(new[] { "/etc/fleet", "/var/cache/models" }));
            Assert.That(container.Env.Select(e => e.Name), Is.EqualTo(new[] { "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "FLEET_SETTINGS", "CUDA_VISIBLE_DEVICES" }));
            Assert.That(gpu.Spec.TerminationGracePeriodSeconds, Is.EqualTo(630));
            Assert.That(container.Resources.Limits["nvidia.com/gpu"].ToString(), Is.EqualTo("1"));
        });

        // The other groups get none of the GPU group's settings.
        var io = Pod(state, "fleet-worker-io");
        Assert.Multiple(() =>
        {
            Assert.That(io.Spec.Containers.Single().Image, Is.EqualTo("ghcr.io/example/fleet:3.1.0"));
            Assert.That(io.Spec.NodeSelector, Is.Null);
            Assert.That(io.Spec.Tolerations, Is.Null);
            Assert.That(io.Spec.Volumes.Select(v => v.Name), Is.EqualTo(new[] { "settings" }));
            Assert.That(io.Metadata.Annotations["example.com/egress-profile"], Is.EqualTo("partners"));
            Assert.That(io.Spec.TerminationGracePeriodSeconds, Is.EqualTo(WorkerDeploymentBuilder.DefaultTerminationGracePeriodSeconds));
        });
    }

    [Test]
    public void AComponentValueReplacesTheResourceLevelOneOfTheSameKey()
    {
        var state = Fleet(spec => WithWorker(spec, "io", w => w with
        {
            Env = [new V1EnvVar { Name = "FLEET_SETTINGS", Value = "/etc/io.toml" }],
            PodTemplate = new CeleryPodTemplate
            {
                Labels = new Dictionary<string, string> { ["team"] = "integrations" },
                Volumes = [new V1Volume { Name = "settings", Secret = new V1SecretVolumeSource { SecretName = "io-settings" } }],
                VolumeMounts = [new V1VolumeMount { Name = "settings", MountPath = "/etc/fleet", SubPath = "io" }],
                Tolerations = [new V1Toleration { Key = "io", OperatorProperty = "Exists" }],
            },
        }) with
        {
            PodTemplate = spec.PodTemplate! with { Tolerations = [new V1Toleration { Key = "shared", OperatorProperty = "Exists" }] },
        });
        var io = Pod(state, "fleet-worker-io");
        var container = io.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(io.Metadata.Labels["team"], Is.EqualTo("integrations"));
            Assert.That(io.Spec.Volumes.Single().Secret?.SecretName, Is.EqualTo("io-settings"), "one volume per name, the group's");
            Assert.That(container.VolumeMounts.Single().SubPath, Is.EqualTo("io"), "one mount per path, the group's");
            Assert.That(container.Env.Where(e => e.Name == "FLEET_SETTINGS").Select(e => e.Value), Is.EqualTo(new[] { "/etc/io.toml" }));
            Assert.That(io.Spec.Tolerations.Select(t => t.Key), Is.EqualTo(new[] { "shared", "io" }), "tolerations are appended");
        });
    }

    [Test]
    public void InitContainersSidecarsAndLifecycleBelongToTheirGroup()
    {
        var sidecar = new V1Container { Name = "log-shipper", Image = "ghcr.io/example/shipper:1" };
        var state = Fleet(spec => WithWorker(spec, "reports", w => w with { Sidecars = [sidecar] }));
        var reports = Pod(state, "fleet-worker-reports");
        Assert.Multiple(() =>
        {
            Assert.That(reports.Spec.InitContainers.Select(c => c.Name), Is.EqualTo(new[] { "fetch-fonts" }));
            Assert.That(reports.Spec.Containers.Select(c => c.Name), Is.EqualTo(new[] { "worker", "log-shipper" }));
            Assert.That(reports.Spec.Containers[1].VolumeMounts, Is.Null, "a sidecar gets nothing of the main container's settings");
            Assert.That(reports.Spec.Containers[0].Lifecycle.PreStop.Exec.Command, Is.EqualTo(new[] { "sh", "-c", "sleep 5" }));
            Assert.That(Pod(state, "fleet-worker-io").Spec.InitContainers, Is.Null);
            Assert.That(MainContainer(state, "fleet-worker-io").Lifecycle, Is.Null);
        });
    }

    [Test]
    public void FlowerGetsOnlyItsOwnSettingsAndWhatItInherits()
    {
        var state = Fleet();
        var flower = Pod(state, "fleet-flower");
        var container = flower.Spec.Containers.Single();
        var env = container.Env.Select(e => e.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(flower.Spec.Volumes.Select(v => v.Name), Is.EqualTo(new[] { FlowerSpec.StateVolume }), "spec.podTemplate.volumes stay with workers and beat: Flower has only its state claim");
            Assert.That(container.VolumeMounts?.Select(m => m.Name), Is.EqualTo(new[] { FlowerSpec.StateVolume }));
            Assert.That(env, Does.Contain("FLEET_SETTINGS"), "flower.inherit lists env");
            Assert.That(env, Does.Contain("FLOWER_PURGE_OFFLINE_WORKERS"));
            Assert.That(env, Is.SupersetOf(new[] { "FLOWER_AUTH_PROVIDER", "FLOWER_AUTH", "FLOWER_OAUTH2_REDIRECT_URI", "FLOWER_OAUTH2_KEY", "FLOWER_OAUTH2_SECRET", "FLOWER_COOKIE_SECRET" }));
            Assert.That(container.Env.Single(e => e.Name == "FLOWER_OAUTH2_SECRET").ValueFrom.SecretKeyRef.Name, Is.EqualTo("fleet-flower-oauth"));
            Assert.That(container.Env.Single(e => e.Name == "FLOWER_AUTH_PROVIDER").Value, Is.EqualTo("flower.views.auth.GithubLoginHandler"));
        });

        // Without inherit, Flower gets no resource-level env either.
        var isolated = MainContainer(Fleet(spec => spec with { Flower = spec.Flower! with { Inherit = null } }), "fleet-flower");
        Assert.That(isolated.Env.Select(e => e.Name), Has.None.EqualTo("FLEET_SETTINGS"));
    }

    [Test]
    public void NothingSetForFlowerReachesWorkerOrBeatPods()
    {
        var state = Fleet(spec => spec with
        {
            Flower = spec.Flower! with
            {
                EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "flower-only" } }],
                PodTemplate = new CeleryPodTemplate
                {
                    Volumes = [new V1Volume { Name = "flower-db", Secret = new V1SecretVolumeSource { SecretName = "flower-db" } }],
                    VolumeMounts = [new V1VolumeMount { Name = "flower-db", MountPath = "/data" }],
                },
            },
        });
        var others = state.Objects.OfType<V1Deployment>().Where(d => d.Metadata.Name != "fleet-flower").ToList();
        var text = string.Join("\n", others.Select(d => KubernetesJson.Serialize(d)));
        Assert.Multiple(() =>
        {
            Assert.That(others, Has.Count.EqualTo(4), "three groups and beat");
            Assert.That(text, Does.Not.Contain("flower-db").And.Not.Contain("flower-only").And.Not.Contain("FLOWER_").And.Not.Contain("fleet-flower-oauth"));
            Assert.That(Pod(state, "fleet-flower").Spec.Volumes.Select(v => v.Name), Is.EquivalentTo(new[] { "flower-db", FlowerSpec.StateVolume }));
        });
    }

    [Test]
    public void TypedWorkerOptionsBecomeCeleryFlags()
    {
        var state = Fleet();
        Assert.Multiple(() =>
        {
            Assert.That(MainContainer(state, "fleet-worker-gpu").Args, Is.EqualTo(new[]
            {
                "--app=fleet.worker:app", "worker", "--queues=inference", "--loglevel=INFO", "--pool=prefork", "--concurrency=2", "--prefetch-multiplier=1",
                "--time-limit=600", "--soft-time-limit=540", "-Ofair", "--without-gossip", "--without-mingle", "--task-events",
            }));
            Assert.That(MainContainer(state, "fleet-worker-io").Args, Is.EqualTo(new[]
            {
                "--app=fleet.worker:app", "worker", "--queues=webhooks,emails", "--loglevel=INFO", "--pool=threads", "--concurrency=32",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname=io@%h", "--task-events",
            }));
            Assert.That(MainContainer(state, "fleet-worker-reports").Args, Is.EqualTo(new[]
            {
                "--app=fleet.worker:app", "worker", "--queues=reports", "--loglevel=INFO", "--pool=prefork", "--autoscale=4,1",
                "--max-memory-per-child=1500000", "--time-limit=1800", "--task-events",
            }));
        });
    }

    [Test]
    public void EventsFollowFlowerUnlessSet()
    {
        var off = Fleet(spec => WithWorker(spec, "io", w => w with { Events = false }));
        var noFlower = Fleet(spec => WithWorker(spec, "io", w => w with { Events = true }) with { Flower = spec.Flower! with { Enabled = false } });
        Assert.Multiple(() =>
        {
            Assert.That(MainContainer(off, "fleet-worker-io").Args, Has.None.EqualTo("--task-events"));
            Assert.That(MainContainer(noFlower, "fleet-worker-io").Args, Does.Contain("--task-events"));
            Assert.That(MainContainer(noFlower, "fleet-worker-gpu").Args, Has.None.EqualTo("--task-events"));
        });
    }

    [TestCase("2", null, 2)]
    [TestCase("1500m", null, 2)]
    [TestCase("100m", null, 1)]
    [TestCase(null, "250m", 1)]
    [TestCase(null, "3", 3)]
    [TestCase(null, null, null)]
    public void ConcurrencyDefaultsToTheContainersCpu(string? limit, string? request, int? expected)
    {
        var resources = new V1ResourceRequirements
        {
            Limits = limit is null ? null : new Dictionary<string, ResourceQuantity> { ["cpu"] = new(limit), ["memory"] = new("1Gi") },
            Requests = request is null ? null : new Dictionary<string, ResourceQuantity> { ["cpu"] = new(request) },
        };
        var args = MainContainer(Fleet(spec => WithWorker(spec, "gpu", w => w with { Resources = resources })), "fleet-worker-gpu").Args;
        Assert.That(args.Where(a => a.StartsWith("--concurrency=", StringComparison.Ordinal)), Is.EqualTo(expected is { } n ? new[] { $"--concurrency={n}" } : Array.Empty<string>()));
    }

    [TestCase("threads")]
    [TestCase("gevent")]
    [TestCase("solo")]
    public void PoolsThatAreNotProcessesKeepCeleryDefault(string pool)
    {
        var args = MainContainer(Fleet(spec => WithWorker(spec, "gpu", w => w with { Pool = pool })), "fleet-worker-gpu").Args;
        Assert.That(args.Where(a => a.StartsWith("--concurrency", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void ExplicitConcurrencyAutoscaleOrArgsWinOverTheCpuDefault()
    {
        var explicitValue = MainContainer(Fleet(spec => WithWorker(spec, "gpu", w => w with { Concurrency = 7 })), "fleet-worker-gpu").Args;
        var fromArgs = MainContainer(Fleet(spec => WithWorker(spec, "gpu", w => w with { Args = ["--concurrency=5"] })), "fleet-worker-gpu").Args;
        var autoscaled = MainContainer(Fleet(spec => WithWorker(spec, "gpu", w => w with { Autoscale = new PoolAutoscaleSpec { Max = 3 } })), "fleet-worker-gpu").Args;
        Assert.Multiple(() =>
        {
            Assert.That(explicitValue.Where(a => a.StartsWith("--concurrency", StringComparison.Ordinal)), Is.EqualTo(new[] { "--concurrency=7" }));
            Assert.That(fromArgs.Where(a => a.StartsWith("--concurrency", StringComparison.Ordinal)), Is.EqualTo(new[] { "--concurrency=5" }), "only the one in args");
            Assert.That(autoscaled.Where(a => a.StartsWith("--concurrency", StringComparison.Ordinal)), Is.Empty);
            Assert.That(autoscaled, Does.Contain("--autoscale=3,0"));
        });
    }

    [Test]
    public void PrefetchDefaultsToOneOnlyForQueueLengthScaling()
    {
        var explicitValue = MainContainer(Fleet(spec => WithWorker(spec, "gpu", w => w with { PrefetchMultiplier = 4 })), "fleet-worker-gpu").Args;
        var fromArgs = MainContainer(Fleet(spec => WithWorker(spec, "gpu", w => w with { Args = ["--prefetch-multiplier=2"] })), "fleet-worker-gpu").Args;
        var state = Fleet();
        Assert.Multiple(() =>
        {
            Assert.That(MainContainer(state, "fleet-worker-gpu").Args, Does.Contain("--prefetch-multiplier=1"));
            Assert.That(MainContainer(state, "fleet-worker-io").Args.Where(a => a.StartsWith("--prefetch", StringComparison.Ordinal)), Is.Empty, "not scaled on queue length: Celery's default");
            Assert.That(explicitValue.Where(a => a.StartsWith("--prefetch", StringComparison.Ordinal)), Is.EqualTo(new[] { "--prefetch-multiplier=4" }));
            Assert.That(fromArgs.Where(a => a.StartsWith("--prefetch", StringComparison.Ordinal)), Is.EqualTo(new[] { "--prefetch-multiplier=2" }));
        });
    }

    [Test]
    public void RedisPriorityListsAreCountedAndSummedWithFallbackAndIdleReplicas()
    {
        var scaled = Fleet().Objects.OfType<ScaledObject>().Single();
        var lists = scaled.Spec.Triggers.Select(t => t.Metadata["listName"]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lists, Is.EqualTo(new[] { "inference", "inference\u0006\u00163", "inference\u0006\u00166", "inference\u0006\u00169" }));
            Assert.That(scaled.Spec.Advanced?.ScalingModifiers?.Formula, Is.EqualTo("queue0 + queue1 + queue2 + queue3"));
            Assert.That(scaled.Spec.IdleReplicaCount, Is.Zero);
            Assert.That(scaled.Spec.MinReplicaCount, Is.EqualTo(1));
            Assert.That(scaled.Spec.Fallback, Is.EqualTo(new ScaledObjectFallback { FailureThreshold = 3, Replicas = 2 }));
        });
    }

    [Test]
    public void BeatGetsResourceLevelSettingsAndItsOwn()
    {
        var state = Fleet(spec => spec with { Beat = spec.Beat! with { PodTemplate = new CeleryPodTemplate { NodeSelector = new Dictionary<string, string> { ["pool"] = "system" } }, TerminationGracePeriodSeconds = 10 } });
        var beat = Pod(state, "fleet-beat");
        Assert.Multiple(() =>
        {
            Assert.That(beat.Spec.Volumes.Select(v => v.Name), Is.EqualTo(new[] { "beat-schedule", "settings" }));
            Assert.That(beat.Spec.NodeSelector["pool"], Is.EqualTo("system"));
            Assert.That(beat.Spec.TerminationGracePeriodSeconds, Is.EqualTo(10));
            Assert.That(beat.Metadata.Labels["team"], Is.EqualTo("ml-platform"));
        });
    }

    [Test]
    public void BeatKeepsItsScheduleOnAClaimNamedLikeTheScheduleVolume()
    {
        var claim = new V1Volume { Name = BeatDeploymentBuilder.ScheduleVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "fleet-beat-schedule" } };
        var beat = Pod(Fleet(spec => spec with { Beat = spec.Beat! with { PodTemplate = new CeleryPodTemplate { Volumes = [claim] } } }), "fleet-beat");
        var deployment = Fleet().Objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "fleet-beat");
        Assert.Multiple(() =>
        {
            Assert.That(beat.Spec.Volumes.Where(v => v.Name == BeatDeploymentBuilder.ScheduleVolume).Select(v => v.PersistentVolumeClaim?.ClaimName), Is.EqualTo(new[] { "fleet-beat-schedule" }), "the claim replaces the emptyDir");
            Assert.That(beat.Spec.Containers.Single().VolumeMounts.Single(m => m.Name == BeatDeploymentBuilder.ScheduleVolume).MountPath, Is.EqualTo(CeleryCommandLine.BeatScheduleDirectory));
            Assert.That(deployment.Spec.Strategy.Type, Is.EqualTo("Recreate"), "the old beat stops before the new one mounts the claim");
        });
    }
}
