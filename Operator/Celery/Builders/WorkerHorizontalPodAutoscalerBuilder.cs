using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>An autoscaling/v2 HPA for a group scaled only on cpu/memory.</summary>
public static class WorkerHorizontalPodAutoscalerBuilder
{
    public static V2HorizontalPodAutoscaler Build(BuildContext context, WorkerGroupSpec group, AutoscalingSpec autoscaling)
    {
        var metrics = new List<V2MetricSpec>();
        AddUtilization(metrics, "cpu", autoscaling.Cpu);
        AddUtilization(metrics, "memory", autoscaling.Memory);
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = ChildMetadata.For(context, context.Names.WorkerHorizontalPodAutoscaler(group.Name), CeleryLabels.Components.Autoscaling, group.Name),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = context.Names.WorkerDeployment(group.Name) },
                MinReplicas = autoscaling.MinReplicas,
                MaxReplicas = autoscaling.MaxReplicas,
                Metrics = metrics,
                Behavior = autoscaling.Behavior,
            },
        };
    }

    private static void AddUtilization(List<V2MetricSpec> metrics, string resource, UtilizationTarget? target)
    {
        if (target is null)
        {
            return;
        }

        metrics.Add(new V2MetricSpec
        {
            Type = "Resource",
            Resource = new V2ResourceMetricSource
            {
                Name = resource,
                Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = target.TargetUtilization },
            },
        });
    }
}
