using Operator.Celery.Model;
using Operator.Keda;
using Operator.PrometheusOperator;
using Operator.Runtime.Source;

namespace Operator.Celery.Reconciliation;

/// <summary>The API resources the Celery controller reads and writes.</summary>
public static class CeleryApiResources
{
    public static readonly ResourceDescriptor Celery = new(CeleryResource.Group, CeleryResource.Version, CeleryResource.Plural, CeleryResource.KindValue, true);
    public static readonly ResourceDescriptor Secrets = new("", "v1", "secrets", "Secret", true);
    public static readonly ResourceDescriptor Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly ResourceDescriptor Services = new("", "v1", "services", "Service", true);
    public static readonly ResourceDescriptor PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true);
    public static readonly ResourceDescriptor Ingresses = new("networking.k8s.io", "v1", "ingresses", "Ingress", true);
    public static readonly ResourceDescriptor DisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true);
    public static readonly ResourceDescriptor HorizontalPodAutoscalers = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true);
    public static readonly ResourceDescriptor ScaledObjects = new(ScaledObject.Group, ScaledObject.Version, ScaledObject.Plural, ScaledObject.KindValue, true);
    public static readonly ResourceDescriptor TriggerAuthentications = new(ScaledObject.Group, ScaledObject.Version, TriggerAuthentication.Plural, TriggerAuthentication.KindValue, true);

    /// <summary>Served only where the Prometheus Operator (or its CRDs) is installed.</summary>
    public static readonly ResourceDescriptor ServiceMonitors = new(ServiceMonitor.Group, ServiceMonitor.Version, ServiceMonitor.Plural, ServiceMonitor.KindValue, true);

    /// <summary>Every kind the controller writes as a child, in the order its caches are declared.</summary>
    public static IReadOnlyList<ResourceDescriptor> Children { get; } =
        [Deployments, Services, PersistentVolumeClaims, Ingresses, DisruptionBudgets, HorizontalPodAutoscalers, Secrets, ScaledObjects, TriggerAuthentications, ServiceMonitors];

    /// <summary>The child resource of an object's apiVersion and kind.</summary>
    public static ResourceDescriptor ChildOf(string apiVersion, string kind) =>
        Children.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind)
        ?? throw new InvalidOperationException($"{apiVersion} {kind} is not a kind the Celery controller writes");

    /// <summary>Kinds that exist only where KEDA is installed.</summary>
    public static bool IsKeda(ResourceDescriptor resource) => resource.Group == ScaledObject.Group;
}
