// Objects the operator has no business with, created in the workload's namespaces to make the cluster look like a
// busy one: Deployments (which the emulator's simulated Deployment controller then marks available), Services,
// ConfigMaps and Secrets. Invariants: none carries the operator's labels or is named in a broker Secret reference,
// and none is owned by a Celery resource, so an operator that lists, decodes or keeps them pays for what is not its
// own; object i of a kind lands in namespace i mod the namespace count, so every namespace gets an equal share.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace Operator.Benchmarks;

/// <summary>Creates unrelated objects concurrently through KubernetesClient.</summary>
public sealed class UnrelatedObjects(Kubernetes client, IReadOnlyList<string> namespaces, int concurrency)
{
    /// <summary>Writes in flight while creating noise: enough to keep the emulator busy, few enough not to time out.</summary>
    public const int DefaultConcurrency = 16;

    private const int ConfigMapEntries = 8;
    private const int ConfigMapEntryBytes = 128;

    /// <summary>Creates every object <paramref name="counts"/> asks for, names prefixed with <paramref name="prefix"/>; returns the time it took.</summary>
    public async Task<TimeSpan> CreateAsync(NoiseCounts counts, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var clock = Stopwatch.StartNew();
        var secretData = new byte[counts.SecretBytes];
        var work = Enumerable.Range(0, counts.Deployments).Select(i => (Kind: "deployment", Index: i))
            .Concat(Enumerable.Range(0, counts.Services).Select(i => (Kind: "service", Index: i)))
            .Concat(Enumerable.Range(0, counts.ConfigMaps).Select(i => (Kind: "configmap", Index: i)))
            .Concat(Enumerable.Range(0, counts.Secrets).Select(i => (Kind: "secret", Index: i)));
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var name = $"{prefix}-{item.Kind}-{item.Index.ToString(CultureInfo.InvariantCulture)}";
            var @namespace = namespaces[item.Index % namespaces.Count];
            Task created = item.Kind switch
            {
                "deployment" => client.AppsV1.CreateNamespacedDeploymentAsync(Deployment(name), @namespace, cancellationToken: ct),
                "service" => client.CoreV1.CreateNamespacedServiceAsync(Service(name), @namespace, cancellationToken: ct),
                "configmap" => client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(name), @namespace, cancellationToken: ct),
                _ => client.CoreV1.CreateNamespacedSecretAsync(Secret(name, secretData), @namespace, cancellationToken: ct),
            };
            await created.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return clock.Elapsed;
    }

    /// <summary>Creates <paramref name="count"/> Secrets of <paramref name="bytes"/> bytes named <paramref name="prefix"/>-i.</summary>
    public async Task CreateSecretsAsync(int count, long bytes, string prefix, CancellationToken cancellationToken)
    {
        var data = new byte[bytes];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (index, ct) =>
        {
            var @namespace = namespaces[index % namespaces.Count];
            await client.CoreV1.CreateNamespacedSecretAsync(Secret($"{prefix}-{index.ToString(CultureInfo.InvariantCulture)}", data), @namespace, cancellationToken: ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static Dictionary<string, string> Labels(string name) => new(StringComparer.Ordinal) { ["app.kubernetes.io/name"] = name, ["app.kubernetes.io/part-of"] = "unrelated" };

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels(name) },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = Labels(name) },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Labels(name) },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "web",
                            Image = "nginx:1.27",
                            Ports = [new V1ContainerPort { ContainerPort = 80 }],
                            Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") } },
                        },
                    ],
                },
            },
        },
    };

    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels(name) },
        Spec = new V1ServiceSpec { Selector = Labels(name), Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 80 }] },
    };

    // About a kilobyte of settings, as an application's configuration file would hold.
    private static V1ConfigMap ConfigMap(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels(name) },
        Data = Enumerable.Range(0, ConfigMapEntries).ToDictionary(
            i => $"setting-{i.ToString(CultureInfo.InvariantCulture)}",
            i => new StringBuilder(ConfigMapEntryBytes).Append('x', ConfigMapEntryBytes).ToString(), StringComparer.Ordinal),
    };

    private static V1Secret Secret(string name, byte[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels(name) },
        Data = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["payload"] = data },
    };
}
