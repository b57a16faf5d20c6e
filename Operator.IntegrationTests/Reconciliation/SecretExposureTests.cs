// What the operator learns of a cluster's Secrets, seen from the API server: it watches every Secret as metadata
// only (PartialObjectMetadata, so no Secret's data ever reaches it through a watch), watches whole only the Secrets
// it manages (through its managed-by label selector), and reads the Secrets a resource references one GET at a
// time, again only when their resourceVersion changed. Unrelated Secrets, however many and however large, are never
// read.
using Operator.Celery.Reconciliation;
using Operator.Emulator.Api;
using Operator.Emulator.Audit;

namespace Operator.IntegrationTests.Reconciliation;

[Parallelizable(ParallelScope.Children)]
public sealed class SecretExposureTests
{
    private const string Ns = "default";

    private static string Celery(string name) => LifecycleTests.Sample(name,
        "  workers:\n    - name: default\n      queues: [celery]\n      autoscaling: {minReplicas: 0, maxReplicas: 3, queueLength: {targetPerReplica: 5}}\n");

    private static IReadOnlyList<AuditEntry> SecretRequests(OperatorUnderTest op) =>
        op.Audit!.Query(user: OperatorUnderTest.OperatorUser, resource: "secrets");

    [Test]
    public async Task UnrelatedSecretsAreNeverReadAndWatchesCarryNoSecretData()
    {
        await using var op = await OperatorUnderTest.StartAsync();
        var bulk = new string('x', 100 * 1024);
        for (var i = 0; i < 20; i++)
        {
            await op.CreateSecretAsync(Ns, $"unrelated-{i}", new Dictionary<string, string> { ["tls.key"] = bulk });
        }

        await op.CreateSecretAsync(Ns, "shop-broker", new Dictionary<string, string> { ["url"] = "redis://:pw@redis:6379/1" });
        (await op.KubectlApplyAsync(Celery("shop"))).EnsureSuccess();
        await op.WaitForConditionAsync(Ns, "shop", CeleryConditions.Ready, "True");

        // Rotating an unrelated Secret costs nothing; rotating the broker's costs one read of it.
        await op.CreateSecretAsync(Ns, "unrelated-new", new Dictionary<string, string> { ["tls.key"] = bulk });
        var brokerReads = SecretRequests(op).Count(e => e.Verb == "get" && e.Name == "shop-broker");
        await op.Client.CoreV1.PatchNamespacedSecretAsync(
            new k8s.Models.V1Patch("{\"stringData\":{\"url\":\"redis://:rotated@redis:6379/1\"}}", k8s.Models.V1Patch.PatchType.MergePatch), "shop-broker", Ns);
        await Eventually.GetAsync(() => Task.FromResult(SecretRequests(op).Count(e => e.Verb == "get" && e.Name == "shop-broker")), n => n == brokerReads + 1,
            TimeSpan.FromSeconds(20), "the rotated broker Secret is read once");
        await op.WaitForQuietAsync();

        var requests = SecretRequests(op);
        var wholeWatches = requests.Where(e => e.Verb is "list" or "watch" && e.Form != ResponseForm.PartialObjectMetadata).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(requests.Where(e => e.Verb == "get").Select(e => e.Name).Distinct(), Is.SubsetOf(new[] { "shop-broker", "shop-keda-broker" }),
                "only the referenced Secret and the one the operator derives are read");
            Assert.That(requests.Count(e => e.Verb == "get" && e.Name == "shop-broker"), Is.EqualTo(brokerReads + 1), "no read without a change");
            Assert.That(requests.Where(e => e.Verb is "list" or "watch" && e.Form == ResponseForm.PartialObjectMetadata), Is.Not.Empty, "Secrets are watched as metadata");
            Assert.That(wholeWatches.Select(e => e.Query), Has.All.Contain("labelSelector=app.kubernetes.io%2Fmanaged-by"),
                "a Secret is watched whole only when the operator manages it");
        });
    }

    [Test]
    public async Task ARejectedSecretIsReportedWithoutItsData()
    {
        await using var op = await OperatorUnderTest.StartAsync();
        await op.CreateSecretAsync(Ns, "vault-broker", new Dictionary<string, string> { ["url"] = "redis://:hunter2@redis:6379/1" });
        // An admission webhook that quotes the submitted value back, as API validation messages do.
        op.Emulator!.Emulator.Faults.Add(new Operator.Emulator.Faults.FaultRule(422, Verb: "patch", Resource: "secrets", Name: "vault-keda-broker",
            Message: "Secret \"vault-keda-broker\" is invalid: data[password]: Invalid value: \"hunter2\": rejected by policy"));
        (await op.KubectlApplyAsync(Celery("vault"))).EnsureSuccess();

        var ready = await Eventually.GetAsync(
            async () => (await op.GetCeleryAsync(Ns, "vault"))?.Status?.Conditions?.FirstOrDefault(c => c.Type == CeleryConditions.Ready),
            c => c?.Reason == CeleryConditions.Reasons.ApplyFailed, TimeSpan.FromSeconds(20), "the rejection is reported");
        var events = await op.Client.CoreV1.ListNamespacedEventAsync(Ns);
        var reported = events.Items.Where(e => e.Reason == CeleryConditions.Reasons.ApplyFailed).Select(e => e.Message).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ready!.Message, Does.Contain("data[password]: Invalid value: \"<redacted>\": rejected by policy").And.Not.Contain("hunter2"));
            Assert.That(reported, Is.Not.Empty.And.All.Not.Contain("hunter2"));
        });
    }
}
