// Labels on every child. Selector labels are a subset that never changes for a child's life (a Deployment's
// selector is immutable), so they hold only identity: name, instance, component, worker group.
namespace Operator.Celery.Builders;

/// <summary>The recommended app.kubernetes.io labels plus the worker-group label.</summary>
public static class CeleryLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string WorkerGroup = "celeryproject.org/worker-group";

    public const string AppName = "celery";
    public const string ManagerName = "celery-operator";

    /// <summary>Pod template annotation holding a checksum of the referenced Secrets.</summary>
    public const string SecretChecksumAnnotation = "celeryproject.org/secret-checksum";

    /// <summary>
    /// Deployment annotation: who owns spec.replicas, "operator" (fixed replicas) or "autoscaler". The reconciler
    /// reads it on the live object to know when a group moves to autoscaling and the replica count must be
    /// handed over before the operator stops applying it.
    /// </summary>
    public const string ReplicasOwnerAnnotation = "celeryproject.org/replicas-owner";

    public const string ReplicasOwnerOperator = "operator";
    public const string ReplicasOwnerAutoscaler = "autoscaler";

    /// <summary>Annotation holding the hash of the configuration last applied to a child.</summary>
    public const string AppliedHashAnnotation = "celeryproject.org/applied-hash";

    public static class Components
    {
        public const string Worker = "worker";
        public const string Beat = "beat";
        public const string Flower = "flower";
        public const string Autoscaling = "autoscaling";
    }

    /// <summary>Labels that select the pods of one component (and group).</summary>
    public static SortedDictionary<string, string> Selector(BuildContext context, string component, string? group = null)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Name] = AppName,
            [Instance] = context.Names.InstanceLabel,
            [Component] = component,
        };
        if (group is not null)
        {
            labels[WorkerGroup] = group;
        }

        return labels;
    }

    /// <summary>Selector labels plus managed-by: what every child object carries.</summary>
    public static SortedDictionary<string, string> ForObject(BuildContext context, string component, string? group = null)
    {
        var labels = Selector(context, component, group);
        labels[ManagedBy] = ManagerName;
        return labels;
    }
}
