// The load: N Celery resources spread 100 to a namespace, each with two worker groups (one scaled by an HPA on
// CPU, one by KEDA on its queue length), beat, and Flower with its Service, reading a Redis broker URL with a
// password (so the KEDA broker Secret and TriggerAuthentication are rendered too). Every group sets its
// concurrency, so the spec draws no validation Warning (a standing Warning is recorded again, one Event patch, at
// every resync). Without Redis ports the URL names a host that does not resolve and every resource consumes the
// queues "celery" and "bulk"; with them (the backlog scenario) namespace n's URL points at port n mod their count
// on 127.0.0.1, and each resource has queues of its own ("app-7", "app-7-bulk"), as separate applications sharing
// a Redis server would. Invariant: resource i is the same object in every run of one workload, so operator and
// ceiling render and send identical children.
using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;

namespace Operator.Benchmarks;

/// <summary>The namespaces, broker Secrets and Celery resources of one benchmark size.</summary>
public sealed record CeleryWorkload(int Size, IReadOnlyList<int>? RedisPorts = null)
{
    public const int ResourcesPerNamespace = 100;
    public const string BrokerSecretName = "broker";
    public const string BrokerSecretKey = "url";
    public const string WorkerGroup = "default";
    public const string BulkGroup = "bulk";

    /// <summary>The Redis password in every broker URL (the Redis servers the backlog scenario starts require it).</summary>
    public const string RedisPassword = "s3cret";

    public int NamespaceCount => ((Size - 1) / ResourcesPerNamespace) + 1;

    public IReadOnlyList<string> Namespaces => [.. Enumerable.Range(0, NamespaceCount).Select(n => Namespace(n * ResourcesPerNamespace))];

    public static string Namespace(int index) => $"bench-{index / ResourcesPerNamespace}";

    public static string Name(int index) => $"app-{index}";

    /// <summary>The index of the resource named <paramref name="name"/>, or null for a name of no resource.</summary>
    public static int? IndexOf(string name) =>
        name.StartsWith("app-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    /// <summary>The Redis port resource <paramref name="index"/>'s broker URL names (its namespace's), when the workload has ports.</summary>
    public int? RedisPort(int index) => RedisPorts is { Count: > 0 } ports ? ports[index / ResourcesPerNamespace % ports.Count] : null;

    /// <summary>The queue worker group <paramref name="group"/> of resource <paramref name="index"/> consumes.</summary>
    public string Queue(int index, string group) => RedisPorts is null
        ? (group == WorkerGroup ? "celery" : "bulk")
        : (group == WorkerGroup ? Name(index) : $"{Name(index)}-bulk");

    public string BrokerUrl(string @namespace) => RedisPorts is { Count: > 0 } ports
        ? string.Create(CultureInfo.InvariantCulture, $"redis://:{RedisPassword}@127.0.0.1:{ports[int.Parse(@namespace["bench-".Length..], CultureInfo.InvariantCulture) % ports.Count]}/0")
        : $"redis://:{RedisPassword}@redis.{@namespace}:6379/0";

    public V1Secret BrokerSecret(string @namespace) => new()
    {
        Metadata = new V1ObjectMeta { Name = BrokerSecretName, NamespaceProperty = @namespace },
        Data = new Dictionary<string, byte[]> { [BrokerSecretKey] = Encoding.UTF8.GetBytes(BrokerUrl(@namespace)) },
    };

    public CeleryResource Resource(int index) => CeleryYaml.LoadResources(string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: {CeleryResource.ApiVersionValue}
        kind: {CeleryResource.KindValue}
        metadata:
          name: {Name(index)}
          namespace: {Namespace(index)}
        spec:
          image: example/app:1
          app: proj.celery:app
          broker:
            type: redis
            urlSecretRef:
              name: {BrokerSecretName}
              key: {BrokerSecretKey}
          workers:
            - name: {WorkerGroup}
              queues: ["{Queue(index, WorkerGroup)}"]
              concurrency: 4
              resources:
                requests:
                  cpu: 250m
                  memory: 256Mi
              autoscaling:
                minReplicas: 1
                maxReplicas: 5
                cpu:
                  targetUtilization: 80
            - name: {BulkGroup}
              queues: ["{Queue(index, BulkGroup)}"]
              concurrency: 2
              autoscaling:
                minReplicas: 1
                maxReplicas: 10
                queueLength:
                  targetPerReplica: 20
          beat:
            enabled: true
          flower:
            enabled: true
        """))[0];

    /// <summary>The children the operator's builders render for <paramref name="resource"/> (as stored, with its uid).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> RenderChildren(CeleryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var secret = BrokerSecret(resource.Metadata.NamespaceProperty);
        var (broker, _) = BrokerResolver.Resolve(resource, name => name == secret.Metadata.Name ? secret : null);
        return DesiredStateBuilder.Build(resource, broker).Objects;
    }

    /// <summary>Creates the namespaces and their broker Secrets.</summary>
    public async Task PrepareAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        for (var n = 0; n < NamespaceCount; n++)
        {
            var @namespace = Namespace(n * ResourcesPerNamespace);
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = @namespace } }, cancellationToken: cancellationToken).ConfigureAwait(false);
            await client.CoreV1.CreateNamespacedSecretAsync(BrokerSecret(@namespace), @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates resource <paramref name="index"/> and returns it as stored (with its uid).</summary>
    public async Task<CeleryResource> CreateAsync(Kubernetes client, int index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var resource = Resource(index);
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            resource, CeleryResource.Group, CeleryResource.Version, resource.Metadata.NamespaceProperty, CeleryResource.Plural,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return KubernetesJson.Deserialize<CeleryResource>(created.GetRawText());
    }
}
