// The names of every child of one Celery resource. All builders and the reconciler take names from here,
// so a child is always found under the name it was created with.
namespace Operator.Celery.Naming;

/// <summary>Names of the children of the Celery resource named <see cref="ResourceName"/>.</summary>
public sealed record ChildNames(string ResourceName)
{
    /// <summary>
    /// KEDA names the HPA it creates "keda-hpa-&lt;scaledobject&gt;", and that name is a label value in places,
    /// so a ScaledObject name may use at most 63 - 9 characters.
    /// </summary>
    public const int ScaledObjectMaxLength = KubernetesName.DnsLabelMaxLength - 9;

    public string WorkerDeployment(string group) => KubernetesName.Join(KubernetesName.DnsLabelMaxLength, ResourceName, "worker", group);

    public string WorkerDisruptionBudget(string group) => WorkerDeployment(group);

    public string WorkerHorizontalPodAutoscaler(string group) => WorkerDeployment(group);

    public string WorkerScaledObject(string group) => KubernetesName.Join(ScaledObjectMaxLength, ResourceName, "worker", group);

    /// <summary>The Secret holding the broker connection fields in the shape KEDA's scalers read them.</summary>
    public string KedaBrokerSecret => KubernetesName.Join(KubernetesName.DnsLabelMaxLength, ResourceName, "keda-broker");

    /// <summary>The TriggerAuthentication all of the resource's ScaledObjects use (one broker per resource).</summary>
    public string KedaTriggerAuthentication => KedaBrokerSecret;

    public string BeatDeployment => KubernetesName.Join(KubernetesName.DnsLabelMaxLength, ResourceName, "beat");

    /// <summary>The PersistentVolumeClaim beat keeps its schedule file on (beat.persistence).</summary>
    public string BeatScheduleClaim => KubernetesName.Join(KubernetesName.DnsLabelMaxLength, ResourceName, "beat-schedule");

    public string FlowerDeployment => KubernetesName.Join(KubernetesName.DnsLabelMaxLength, ResourceName, "flower");

    /// <summary>Service names are DNS-1035 labels: they must start with a letter, which a resource name need not.</summary>
    public string FlowerService => char.IsAsciiLetter(FlowerDeployment[0]) ? FlowerDeployment : KubernetesName.Join(KubernetesName.DnsLabelMaxLength, "c", FlowerDeployment);

    public string FlowerIngress => FlowerDeployment;

    /// <summary>The PersistentVolumeClaim Flower keeps its database on (flower.persistence).</summary>
    public string FlowerStateClaim => KubernetesName.Join(KubernetesName.DnsLabelMaxLength, ResourceName, "flower-state");

    public string FlowerServiceMonitor => FlowerDeployment;

    /// <summary>The value of the app.kubernetes.io/instance label.</summary>
    public string InstanceLabel => KubernetesName.LabelValue(ResourceName);
}
