// A deterministic fleet of valid Celery resources spread over namespaces, and random spec updates, all drawn
// from one seeded Random so a failing run can be replayed. Writes go through the test's own client and are
// retried on the transient errors the fault injector may be producing at the time (it fails every user's
// requests, not only the operator's). Invariant: a resource's spec in the cluster is always the last one this
// fleet wrote for it (updates are merge patches of the whole spec).
using Operator.Celery.Model;

namespace Operator.IntegrationTests.Chaos;

/// <summary>Creates and mutates valid Celery resources for a scenario.</summary>
internal sealed class CeleryFleet(Kubernetes client, int seed, string namespacePrefix = "chaos", int perNamespace = 10)
{
    public const string BrokerSecret = "broker";

    // With a password, queue-length autoscaling derives a KEDA Secret and TriggerAuthentication the end check compares.
    private const string BrokerPassword = "chaos-broker-password";
    private readonly Random random = new(seed);

    public IReadOnlyList<string> Namespaces { get; private set; } = [];

    /// <summary>Every resource created so far, as namespace and name.</summary>
    public List<(string Namespace, string Name)> Resources { get; } = [];

    /// <summary>Creates the namespaces (with a broker Secret each) that <paramref name="count"/> resources need.</summary>
    public async Task CreateNamespacesAsync(int count, CancellationToken cancellationToken = default)
    {
        var namespaces = Enumerable.Range(0, (count + perNamespace - 1) / perNamespace).Select(n => $"{namespacePrefix}-{n}").ToList();
        foreach (var ns in namespaces)
        {
            await RetryTransientAsync(() => client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellationToken), cancellationToken);
            await RetryTransientAsync(() => client.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = BrokerSecret, NamespaceProperty = ns }, StringData = new Dictionary<string, string> { ["url"] = $"redis://:{BrokerPassword}@redis.{ns}:6379/0" } },
                ns,
                cancellationToken: cancellationToken), cancellationToken);
        }

        Namespaces = namespaces;
    }

    /// <summary>Creates <paramref name="count"/> more resources named app-N.., perNamespace per namespace.</summary>
    public async Task CreateAsync(int count, CancellationToken cancellationToken = default)
    {
        var first = Resources.Count;
        for (var i = first; i < first + count; i++)
        {
            var ns = $"{namespacePrefix}-{i / perNamespace}";
            var name = $"app-{i}";
            var body = new JsonObject
            {
                ["apiVersion"] = CeleryResource.ApiVersionValue,
                ["kind"] = CeleryResource.KindValue,
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["spec"] = RandomSpec(),
            };
            await CreateAsync(ns, body, cancellationToken);
            Resources.Add((ns, name));
        }
    }

    /// <summary>Creates one resource from a raw body (used for hand-made and mutated resources).</summary>
    public Task CreateAsync(string ns, JsonObject body, CancellationToken cancellationToken = default) =>
        RetryTransientAsync(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(body, CeleryResource.Group, CeleryResource.Version, ns, CeleryResource.Plural, cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Replaces the spec of <paramref name="count"/> randomly chosen resources with a new random spec.</summary>
    public async Task UpdateRandomAsync(int count, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            var (ns, name) = Resources[random.Next(Resources.Count)];
            var patch = new JsonObject { ["spec"] = RandomSpec() };
            await RetryTransientAsync(
                () => client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), CeleryResource.Group, CeleryResource.Version, ns, CeleryResource.Plural, name, cancellationToken: cancellationToken),
                cancellationToken);
        }
    }

    /// <summary>A valid spec: one to three worker groups, random replicas or queue-length autoscaling, queues, beat and Flower.</summary>
    public JsonObject RandomSpec()
    {
        var groups = new JsonArray();
        var groupCount = random.Next(1, 4);
        for (var g = 0; g < groupCount; g++)
        {
            var group = new JsonObject { ["name"] = g == 0 ? "default" : $"group-{g}" };
            if (random.Next(3) == 0)
            {
                // KEDA scales this group on its queue: a ScaledObject (and the broker's TriggerAuthentication) appear.
                var minReplicas = random.Next(1, 3);
                group["autoscaling"] = new JsonObject
                {
                    ["minReplicas"] = minReplicas,
                    ["maxReplicas"] = minReplicas + random.Next(1, 4),
                    ["queueLength"] = new JsonObject { ["targetPerReplica"] = random.Next(5, 30) },
                };
            }
            else
            {
                group["replicas"] = random.Next(1, 4);
            }

            if (random.Next(2) == 0)
            {
                group["queues"] = new JsonArray($"q{g}", $"q{g}-{random.Next(100)}");
            }

            groups.Add(group);
        }

        return new JsonObject
        {
            ["image"] = $"example/app:{random.Next(1, 6)}",
            ["app"] = "proj",
            ["broker"] = new JsonObject { ["type"] = "redis", ["urlSecretRef"] = new JsonObject { ["name"] = BrokerSecret, ["key"] = "url" } },
            ["workers"] = groups,
            ["beat"] = new JsonObject { ["enabled"] = random.Next(2) == 0 },
            ["flower"] = new JsonObject { ["enabled"] = random.Next(3) != 0 },
        };
    }

    /// <summary>Retries a write the fault injector failed with 429, 500 or 503, honouring nothing but a short pause.</summary>
    public static async Task RetryTransientAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (HttpOperationException e) when (attempt > 1 && e.Response.StatusCode == HttpStatusCode.Conflict && e.Response.Content.Contains("AlreadyExists", StringComparison.Ordinal))
            {
                // An earlier attempt was stored although its response was lost (a timeout or latency spike).
                return;
            }
            catch (HttpOperationException e) when (attempt < 50 && e.Response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }
    }
}
