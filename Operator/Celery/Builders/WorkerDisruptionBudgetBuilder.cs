using k8s.Models;
using Operator.Celery.Model;

namespace Operator.Celery.Builders;

/// <summary>An optional PodDisruptionBudget per worker group.</summary>
public static class WorkerDisruptionBudgetBuilder
{
    public static V1PodDisruptionBudget Build(BuildContext context, WorkerGroupSpec group, DisruptionBudgetSpec budget)
    {
        var component = CeleryLabels.Components.Worker;
        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = ChildMetadata.For(context, context.Names.WorkerDisruptionBudget(group.Name), component, group.Name),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = budget.MinAvailable,
                MaxUnavailable = budget.MaxUnavailable,
                Selector = new V1LabelSelector { MatchLabels = CeleryLabels.Selector(context, component, group.Name) },
            },
        };
    }
}
