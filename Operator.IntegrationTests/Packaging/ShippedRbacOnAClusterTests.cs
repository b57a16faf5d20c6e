// The shipped RBAC decides what the operator can do on a cluster that enforces it: with deploy/operator's roles the
// operator, as its service account, converges every sample; with `create` taken from any child kind it cannot,
// and the resource's status and a Warning Event name the permission that is missing (the API server's words).
using Operator.Celery.Reconciliation;

namespace Operator.IntegrationTests.Packaging;

[Parallelizable(ParallelScope.Children)]
[EmulatorOnly("authenticates the operator as its service account by name, which only the emulator accepts (a real cluster needs a TokenRequest token), and installs cluster-wide roles under the shipped names")]
public sealed class ShippedRbacOnAClusterTests
{
    private const string OperatorNamespace = "celery-operator-system";
    private const string ServiceAccount = "celery-operator";

    private static readonly string[] RoleFiles = ["deploy/operator/cluster-role.yaml", "deploy/operator/cluster-role-binding.yaml", "deploy/operator/leader-election-role.yaml"];

    // The Secrets the samples refer to, with values of the right shape for each broker.
    private const string SampleSecrets = """
        apiVersion: v1
        kind: Secret
        metadata: {name: celery-broker, namespace: default}
        stringData: {url: "redis://:pw@redis.default:6379/0"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: reports-rabbitmq, namespace: analytics}
        stringData: {url: "amqp://reports:pw@rabbitmq.analytics:5672/reports", management-url: "http://reports:pw@rabbitmq.analytics:15672"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-redis, namespace: shop}
        stringData: {url: "redis://:pw@redis.shop:6379/0", result-url: "redis://:pw@redis.shop:6379/1"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-flower, namespace: shop}
        stringData: {basic-auth: "ops:pw"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: fleet-redis, namespace: ml}
        stringData: {url: "redis://:pw@redis.ml:6379/2", result-url: "redis://:pw@redis.ml:6379/3"}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: fleet-flower-oauth, namespace: ml}
        stringData: {client-id: "id", client-secret: "pw", cookie-secret: "cookie"}
        """;

    [Test]
    public async Task TheSamplesConvergeAsTheShippedServiceAccount()
    {
        var samples = new (string File, string Namespace, string Name)[]
        {
            ("minimal.yaml", "default", "hello"), ("redis-keda.yaml", "shop", "shop"), ("rabbitmq-hpa.yaml", "analytics", "reports"), ("sqs.yaml", "media", "thumbnails"),
            ("fleet.yaml", "ml", "fleet"),
        };
        await using var cluster = await RbacEnforcedOperator.StartAsync(
            ManifestSet.Load([.. RoleFiles.Select(RepositoryRoot.File)]), OperatorNamespace, ServiceAccount, [.. samples.Select(s => s.Namespace)]);
        (await cluster.ApplyAsync(SampleSecrets)).EnsureSuccess();
        foreach (var sample in samples)
        {
            (await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", RepositoryRoot.File($"deploy/samples/{sample.File}"))).EnsureSuccess();
        }

        foreach (var sample in samples)
        {
            await cluster.WaitForConditionAsync(sample.Namespace, sample.Name, CeleryConditions.Ready, "True");
        }

        var shop = await cluster.Kubectl.RunAsync("get", "deployments,services,ingresses,poddisruptionbudgets,scaledobjects,triggerauthentications,secrets", "-n", "shop", "-o", "name");
        Assert.Multiple(() =>
        {
            Assert.That(cluster.Refusals, Is.Empty);
            Assert.That(shop.Output, Does.Contain("scaledobject.keda.sh/shop-worker-default").And.Contain("ingress.networking.k8s.io/shop-flower")
                .And.Contain("poddisruptionbudget.policy/shop-worker-default").And.Contain("triggerauthentication.keda.sh/shop-keda-broker").And.Contain("secret/shop-keda-broker"));
        });

        // The fleet's per-group pod settings are in the Deployments the API server stored.
        var gpu = await cluster.Kubectl.RunAsync("get", "deployment", "fleet-worker-gpu", "-n", "ml", "-o", "jsonpath={.spec.template.spec.nodeSelector}{\"|\"}{.spec.template.spec.tolerations[0].key}{\"|\"}{.spec.template.spec.volumes[*].name}");
        var flowerVolumes = await cluster.Kubectl.RunAsync("get", "deployment", "fleet-flower", "-n", "ml", "-o", "jsonpath={.spec.template.spec.volumes[*].name}");
        var claims = await cluster.Kubectl.RunAsync("get", "persistentvolumeclaims", "-n", "ml", "-o", "name");
        var scaled = await cluster.Kubectl.RunAsync("get", "scaledobject", "fleet-worker-gpu", "-n", "ml", "-o", "jsonpath={.spec.idleReplicaCount}|{.spec.fallback.replicas}|{.spec.advanced.scalingModifiers.formula}");
        Assert.Multiple(() =>
        {
            Assert.That(gpu.Output, Is.EqualTo("{\"cloud.example.com/accelerator\":\"nvidia-l4\"}|nvidia.com/gpu|settings model-cache"));
            Assert.That(flowerVolumes.Output, Is.EqualTo("flower-state"), "no resource-level volume reaches Flower: only its own state claim");
            Assert.That(claims.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EquivalentTo(new[] { "persistentvolumeclaim/fleet-beat-schedule", "persistentvolumeclaim/fleet-flower-state" }));
            Assert.That(scaled.Output, Is.EqualTo("0|2|queue0 + queue1 + queue2 + queue3"));
        });
    }

    [TestCase("apps", "deployments")]
    [TestCase("", "services")]
    [TestCase("", "secrets")]
    [TestCase("networking.k8s.io", "ingresses")]
    [TestCase("policy", "poddisruptionbudgets")]
    [TestCase("autoscaling", "horizontalpodautoscalers")]
    [TestCase("keda.sh", "scaledobjects")]
    [TestCase("keda.sh", "triggerauthentications")]
    [TestCase("", "persistentvolumeclaims")]
    [TestCase("monitoring.coreos.com", "servicemonitors")]
    public async Task WithoutCreateOnAChildKindTheResourceSaysWhichPermissionIsMissing(string group, string resource)
    {
        var roles = ManifestSet.Load([.. RoleFiles.Select(RepositoryRoot.File)]);
        var clusterRole = roles.Of<V1ClusterRole>().Single();
        clusterRole.Rules = [.. clusterRole.Rules.SelectMany(rule => WithoutCreate(rule, group, resource))];
        var edited = ManifestSet.Parse(string.Join("\n---\n", roles.Documents.Where(d => d.Kind != "ClusterRole").Select(d => d.Yaml).Append(KubernetesYaml.Serialize(clusterRole))));
        await using var cluster = await RbacEnforcedOperator.StartAsync(edited, OperatorNamespace, ServiceAccount, ["team-a"]);
        (await cluster.ApplyAsync(RbacCoverageTests.BrokerSecret("full"))).EnsureSuccess();
        (await cluster.ApplyAsync(RbacCoverageTests.FullCelery("full"))).EnsureSuccess();

        var missing = $"cannot create resource \"{resource}\" in API group \"{group}\" in the namespace \"team-a\"";
        var ready = (await Eventually.GetAsync(
            () => cluster.ConditionAsync("team-a", "full", CeleryConditions.Ready),
            r => r?["reason"]?.GetValue<string>() == CeleryConditions.Reasons.PermissionDenied && r["message"]?.GetValue<string>().Contains(missing, StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(60),
            $"Ready says {missing}"))!;

        var events = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "events", "-n", "team-a", "-o", "json")).EnsureSuccess().Output)?["items"] as JsonArray ?? [];
        Assert.Multiple(() =>
        {
            Assert.That(ready["status"]?.GetValue<string>(), Is.EqualTo("False"));
            Assert.That(events.Any(e => e?["reason"]?.GetValue<string>() == CeleryConditions.Reasons.PermissionDenied
                && e["type"]?.GetValue<string>() == "Warning"
                && e["message"]?.GetValue<string>().Contains(missing, StringComparison.Ordinal) == true), Is.True, $"a Warning Event saying {missing}");
            Assert.That(cluster.Refusals, Has.All.Contain($"create {(group.Length == 0 ? "core" : group)}/{resource}"), "nothing else was refused");
        });
    }

    // The rule with `resource` in `group` split in two: the other resources keep every verb, `resource` loses create.
    private static IEnumerable<V1PolicyRule> WithoutCreate(V1PolicyRule rule, string group, string resource)
    {
        if (rule.ApiGroups?.Contains(group) != true || rule.Resources?.Contains(resource) != true)
        {
            yield return rule;
            yield break;
        }

        var others = rule.Resources.Where(r => r != resource).ToList();
        if (others.Count > 0)
        {
            yield return new V1PolicyRule { ApiGroups = rule.ApiGroups, Resources = others, Verbs = rule.Verbs };
        }

        yield return new V1PolicyRule { ApiGroups = rule.ApiGroups, Resources = [resource], Verbs = [.. rule.Verbs.Where(v => v != "create")] };
    }
}
