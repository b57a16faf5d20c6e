using Operator.Celery.Reconciliation;

namespace Operator.IntegrationTests.Reconciliation;

/// <summary>Many resources across namespaces, reconciled concurrently, one invalid among them.</summary>
public sealed class ScaleOutTests
{
    [Test]
    public async Task HundredResourcesInTenNamespacesConvergeAndTheInvalidOneIsIsolated()
    {
        await using var op = await OperatorUnderTest.StartAsync();
        var manifests = new System.Text.StringBuilder();
        for (var n = 0; n < 10; n++)
        {
            var ns = $"team-{n}";
            await op.CreateNamespaceAsync(ns);
            await op.CreateSecretAsync(ns, "broker", new Dictionary<string, string> { ["url"] = $"redis://redis.{ns}:6379/{n}" });
            for (var i = 0; i < 10; i++)
            {
                // One resource breaks a rule the operator checks and the CRD's schema and CEL rules do not (sqs settings on
                // a redis broker), so the API server admits it, as a real one would, and the operator isolates it.
                var invalid = n == 3 && i == 7;
                var sqsOnRedis = invalid ? "    sqs:\n      region: eu-west-1\n      queueUrlPrefix: https://sqs.eu-west-1.amazonaws.com/123456789012/\n" : "";
                manifests.Append("---\napiVersion: celeryproject.org/v1alpha1\nkind: Celery\nmetadata:\n")
                    .Append("  name: app-").Append(i).Append("\n  namespace: ").Append(ns).Append('\n')
                    .Append("spec:\n  image: example/app:1\n  app: proj\n  broker:\n    type: redis\n    urlSecretRef:\n      name: broker\n      key: url\n").Append(sqsOnRedis)
                    .Append("  workers:\n    - name: default\n      replicas: 1\n")
                    .Append("    - name: slow\n      queues:\n        - slow\n")
                    .Append("  beat:\n    enabled: ").Append(i % 2 == 0 ? "true" : "false").Append('\n');
            }
        }

        (await op.KubectlApplyAsync(manifests.ToString())).EnsureSuccess();
        var all = await Eventually.GetAsync(
            async () =>
            {
                var list = new List<(string Ns, string Name, string? Ready, string? Reason)>();
                for (var n = 0; n < 10; n++)
                {
                    for (var i = 0; i < 10; i++)
                    {
                        var c = await op.GetCeleryAsync($"team-{n}", $"app-{i}");
                        var ready = c?.Status?.Conditions?.FirstOrDefault(x => x.Type == CeleryConditions.Ready);
                        list.Add(($"team-{n}", $"app-{i}", ready?.Status, ready?.Reason));
                    }
                }

                return list;
            },
            list => list.Count(x => x.Ready == "True") == 99 && list.Any(x => x.Reason == CeleryConditions.Reasons.InvalidSpec),
            TimeSpan.FromSeconds(120),
            "99 resources Ready and one InvalidSpec");

        var invalidOne = all.Single(x => x.Ready != "True");
        Assert.That((invalidOne.Ns, invalidOne.Name), Is.EqualTo(("team-3", "app-7")));
        var deployments = await op.Client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: "app.kubernetes.io/managed-by=celery-operator");
        // 99 valid resources with 2 worker groups and Flower each, and beat on the 50 even-numbered ones (the invalid app-7 is odd).
        Assert.That(deployments.Items, Has.Count.EqualTo((99 * 3) + 50));
    }
}
