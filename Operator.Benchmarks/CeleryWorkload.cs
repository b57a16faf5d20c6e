// The load: N Celery resources spread 100 to a namespace, each with two worker groups (one scaled by an HPA on
// CPU, one by KEDA on its queue length), beat, and Flower with its Service, reading a Redis broker URL with a
// password (so the KEDA broker Secret and TriggerAuthentication are rendered too). Invariant: resource i is the
// same object in every run, so operator and ceiling render and send identical children.
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
public sealed record CeleryWorkload(int Size)
{
    public const int ResourcesPerNamespace = 100;
    public const string BrokerSecretName = "broker";
    public const string BrokerSecretKey = "url";
    public const string WorkerGroup = "default";

    public int NamespaceCount => ((Size - 1) / ResourcesPerNamespace) + 1;

    public static string Namespace(int index) => $"bench-{index / ResourcesPerNamespace}";

    public static string Name(int index) => $"app-{index}";

    public static string BrokerUrl(string @namespace) => $"redis://:s3cret@redis.{@namespace}:6379/0";

    public V1Secret BrokerSecret(string @namespace) => new()
    {
        Metadata = new V1ObjectMeta { Name = BrokerSecretName, NamespaceProperty = @namespace },
        Data = new Dictionary<string, byte[]> { [BrokerSecretKey] = Encoding.UTF8.GetBytes(BrokerUrl(@namespace)) },
    };

    public static CeleryResource Resource(int index) => CeleryYaml.LoadResources(string.Create(CultureInfo.InvariantCulture, $"""
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
              queues: [celery]
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
            - name: bulk
              queues: [bulk]
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
    public static async Task<CeleryResource> CreateAsync(Kubernetes client, int index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var resource = Resource(index);
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            resource, CeleryResource.Group, CeleryResource.Version, resource.Metadata.NamespaceProperty, CeleryResource.Plural,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return KubernetesJson.Deserialize<CeleryResource>(created.GetRawText());
    }
}
