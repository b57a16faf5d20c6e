// From one Celery resource (and its resolved broker) to every object it needs. Pure: no I/O, no clock, no
// randomness; the same input always gives the same objects in the same order, so the reconciler can compare
// them with what is cached and the render command's output is stable.
using k8s;
using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>The children one resource should have, and what could not be built yet and why.</summary>
public sealed record DesiredState(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects, IReadOnlyList<string> Pending);

/// <summary>Builds the desired children of a Celery resource.</summary>
public static class DesiredStateBuilder
{
    public static DesiredState Build(CeleryResource resource, BrokerContext broker)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(broker);
        var context = new BuildContext(resource, broker);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        var pending = new List<string>();
        var spec = resource.Spec;

        var kedaParameters = broker.Endpoint is { } endpoint ? KedaBrokerAuthenticationBuilder.Parameters(endpoint) : null;
        var usesKeda = spec.Workers.Any(w => w.Autoscaling?.QueueLength is { IsBuiltin: false });
        string? authenticationName = null;
        if (usesKeda && broker.Endpoint is { } brokerEndpoint && kedaParameters is not null)
        {
            if (kedaParameters.Count > 0)
            {
                objects.Add(KedaBrokerAuthenticationBuilder.BuildSecret(context, kedaParameters));
            }

            var authentication = KedaBrokerAuthenticationBuilder.BuildTriggerAuthentication(context, brokerEndpoint, kedaParameters);
            if (authentication.Spec.SecretTargetRef is not null || authentication.Spec.PodIdentity is not null)
            {
                objects.Add(authentication);
                authenticationName = authentication.Metadata.Name;
            }
        }

        foreach (var group in spec.Workers)
        {
            objects.Add(WorkerDeploymentBuilder.Build(context, group));
            if (group.PodDisruptionBudget is { } budget)
            {
                objects.Add(WorkerDisruptionBudgetBuilder.Build(context, group, budget));
            }

            switch (group.Autoscaling)
            {
                case { QueueLength.IsBuiltin: true }:
                    // The operator's own scaler sets the replicas through the scale subresource: no autoscaler object.
                    break;
                case { QueueLength: { } queueLength } autoscaling when broker.Endpoint is { } groupEndpoint:
                    objects.Add(ScaledObjectBuilder.Build(context, group, autoscaling, queueLength, groupEndpoint, authenticationName));
                    break;
                case { QueueLength: not null }:
                    pending.Add($"worker group {group.Name}: queue-length autoscaling waits for a readable broker URL");
                    break;
                case { } autoscaling:
                    objects.Add(WorkerHorizontalPodAutoscalerBuilder.Build(context, group, autoscaling));
                    break;
                default:
                    break;
            }
        }

        if (spec.Beat is { Enabled: true } beat)
        {
            if (beat.Persistence is { } schedule)
            {
                objects.Add(PersistentVolumeClaimBuilder.Build(context, context.Names.BeatScheduleClaim, CeleryLabels.Components.Beat, schedule));
            }

            objects.Add(BeatDeploymentBuilder.Build(context, beat));
        }

        var flower = spec.Flower ?? new FlowerSpec();
        if (flower.Enabled)
        {
            if (flower.Persistence is { } state)
            {
                objects.Add(PersistentVolumeClaimBuilder.Build(context, context.Names.FlowerStateClaim, CeleryLabels.Components.Flower, state));
            }

            objects.Add(FlowerDeploymentBuilder.Build(context, flower));
            objects.Add(FlowerServiceBuilder.Build(context, flower));
            if (flower.Ingress is { Enabled: true } ingress)
            {
                objects.Add(FlowerIngressBuilder.Build(context, flower, ingress));
            }

            if (flower.ServiceMonitor is { Enabled: true } monitor)
            {
                objects.Add(FlowerServiceMonitorBuilder.Build(context, flower, monitor));
            }
        }

        return new DesiredState(objects, pending);
    }
}
