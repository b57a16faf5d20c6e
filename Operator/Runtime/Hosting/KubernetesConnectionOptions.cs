using k8s;
using k8s.Exceptions;

namespace Operator.Runtime.Hosting;

/// <summary>
/// Where the Kubernetes API is and how to authenticate, bound from <c>Operator:Kubernetes</c> (or the
/// <c>--kubeconfig</c> and <c>--context</c> flags). Resolution, first match wins, as kubectl and controller-runtime
/// do it: <see cref="Host"/> (no credentials, e.g. through <c>kubectl proxy</c>); <see cref="KubeConfigPath"/>; the
/// <c>KUBECONFIG</c> variable (a ':'-separated list merged like kubectl: missing files skipped, the first file to
/// set an entry or the current context wins); <see cref="InCluster"/> true, or unset and running in a pod (the pod's
/// service account); <c>~/.kube/config</c>. <see cref="Context"/> picks a kubeconfig context. Invariant enforced by
/// <see cref="Validate"/>: at most one of <see cref="Host"/>, <see cref="KubeConfigPath"/> and
/// <see cref="InCluster"/> = true is set.
/// </summary>
public sealed record KubernetesConnectionOptions
{
    public const string SectionName = "Operator:Kubernetes";

    /// <summary>The environment variable kubectl reads a kubeconfig list from.</summary>
    public const string KubeconfigVariable = "KUBECONFIG";

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

    /// <summary>Reads credentials and endpoint as described above, from the process environment.</summary>
    /// <exception cref="ClusterConnectionException">No cluster is configured, or its kubeconfig is unusable.</exception>
    public KubernetesClientConfiguration ToClientConfiguration() =>
        ToClientConfiguration(Environment.GetEnvironmentVariable, KubernetesClientConfiguration.IsInCluster, KubernetesClientConfiguration.KubeConfigDefaultLocation);

    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="isInCluster">Whether the process runs in a pod with a service account.</param>
    /// <param name="defaultKubeconfig">The kubeconfig used when nothing else is configured (~/.kube/config).</param>
    public KubernetesClientConfiguration ToClientConfiguration(Func<string, string?> environment, Func<bool> isInCluster, string defaultKubeconfig)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(isInCluster);
        Validate();
        var context = string.IsNullOrEmpty(Context) ? null : Context;
        if (!string.IsNullOrEmpty(Host))
        {
            return new KubernetesClientConfiguration { Host = Host };
        }

        if (!string.IsNullOrEmpty(KubeConfigPath))
        {
            return KubeconfigFiles.Load([KubeConfigPath], context, "--kubeconfig");
        }

        if (InCluster != true && environment(KubeconfigVariable) is { Length: > 0 } list)
        {
            return KubeconfigFiles.Load(list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), context, KubeconfigVariable);
        }

        if (InCluster == true || (InCluster is null && isInCluster()))
        {
            try
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
            catch (KubeConfigException e)
            {
                throw new ClusterConnectionException($"in-cluster configuration: {e.Message}", e);
            }
        }

        if (File.Exists(defaultKubeconfig))
        {
            return KubeconfigFiles.Load([defaultKubeconfig], context, defaultKubeconfig);
        }

        throw new ClusterConnectionException(
            $"no cluster configured: pass --kubeconfig FILE, set KUBECONFIG, run in a pod, or create {defaultKubeconfig}");
    }
}
