using k8s;

namespace Operator.Runtime.Hosting;

/// <summary>
/// Where the Kubernetes API is and how to authenticate, bound from <c>Operator:Kubernetes</c>.
/// Resolution, first match wins: <see cref="Host"/> (no credentials, e.g. through <c>kubectl proxy</c>);
/// <see cref="InCluster"/> true (the pod's service account); <see cref="KubeConfigPath"/>; running inside a pod
/// when <see cref="InCluster"/> is unset; otherwise the default kubeconfig (<c>KUBECONFIG</c> or ~/.kube/config).
/// <see cref="Context"/> picks a kubeconfig context. Invariant enforced by <see cref="Validate"/>: at most one of
/// <see cref="Host"/>, <see cref="KubeConfigPath"/> and <see cref="InCluster"/> = true is set.
/// </summary>
public sealed record KubernetesConnectionOptions
{
    public const string SectionName = "Operator:Kubernetes";

    public string? KubeConfigPath { get; init; }

    public string? Context { get; init; }

    /// <summary>True forces the service account, false forbids it, unset detects it.</summary>
    public bool? InCluster { get; init; }

    /// <summary>An API server URL used as is, without credentials.</summary>
    public string? Host { get; init; }

    public void Validate()
    {
        var chosen = new[] { !string.IsNullOrEmpty(Host), !string.IsNullOrEmpty(KubeConfigPath), InCluster == true }.Count(c => c);
        if (chosen > 1)
        {
            throw new ArgumentException("Set at most one of Host, KubeConfigPath and InCluster=true.", nameof(Host));
        }

        if (!string.IsNullOrEmpty(Host) && !Uri.TryCreate(Host, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"Host must be an absolute URL, got '{Host}'.", nameof(Host));
        }
    }

    /// <summary>Reads credentials and endpoint as described above.</summary>
    public KubernetesClientConfiguration ToClientConfiguration()
    {
        Validate();
        if (!string.IsNullOrEmpty(Host))
        {
            return new KubernetesClientConfiguration { Host = Host };
        }

        if (InCluster == true || (InCluster is null && string.IsNullOrEmpty(KubeConfigPath) && KubernetesClientConfiguration.IsInCluster()))
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(
            string.IsNullOrEmpty(KubeConfigPath) ? null : KubeConfigPath,
            string.IsNullOrEmpty(Context) ? null : Context);
    }
}
