// Beat's and Flower's state claims and Flower's ServiceMonitor on the emulator, seen through kubectl and the API as a
// user sees them: the claims are created and owned, their phase is reported on status; the ServiceMonitor waits (with
// a status warning and an event) until the Prometheus Operator's CRD is installed, then appears; a child edited or
// deleted by hand is put back; and both kinds are deleted when the spec stops asking for them.
using System.Text.Json;
using Operator.Celery.Reconciliation;

namespace Operator.IntegrationTests.Reconciliation;

[Parallelizable(ParallelScope.Self)]
public sealed class StateClaimsAndServiceMonitorTests
{
    private const string Name = "keep";

    private const string WithState =
        "  beat:\n    enabled: true\n    persistence: {size: 64Mi}\n"
        + "  flower:\n    persistence: {size: 1Gi, storageClassName: fast, accessModes: [ReadWriteOncePod]}\n    serviceMonitor: {enabled: true, interval: 30s, labels: {release: prom}}\n";

    private const string WithoutState = "  beat:\n    enabled: true\n";

    private static async Task<JsonNode?> ServiceMonitorAsync(OperatorUnderTest op)
    {
        try
        {
            var json = await op.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("monitoring.coreos.com", "v1", op.Namespace, "servicemonitors", $"{Name}-flower");
            return JsonNode.Parse(json.GetRawText());
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static bool ServiceMonitorWarned(Celery.Model.CeleryResource resource) =>
        resource.Status?.Warnings?.Any(w => w.StartsWith("spec.flower.serviceMonitor", StringComparison.Ordinal)) == true;

    private static async Task<IReadOnlyList<V1PersistentVolumeClaim>> ClaimsAsync(OperatorUnderTest op) =>
        (await op.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(op.Namespace)).Items.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).ToList();

    [Test]
    public async Task ClaimsAndTheServiceMonitorFollowTheSpec()
    {
        await using var op = await OperatorUnderTest.StartAsync();
        await op.CreateSecretAsync(op.Namespace, $"{Name}-broker", new Dictionary<string, string> { ["url"] = "redis://:pw@redis:6379/1" });
        (await op.KubectlApplyAsync(LifecycleTests.Sample(Name, extra: WithState))).EnsureSuccess();

        // Without the Prometheus Operator: everything else is applied, and status and an event say why there is no ServiceMonitor.
        var resource = await Eventually.GetAsync(
            () => op.GetCeleryAsync(op.Namespace, Name),
            c => c?.Status?.Flower?.StateClaim?.Phase == "Pending" && c.Status.Beat?.ScheduleClaim?.Phase == "Pending" && ServiceMonitorWarned(c),
            op.ActTimeout,
            "claims reported Pending and the missing ServiceMonitor CRD warned about");
        var claims = await ClaimsAsync(op);
        var listed = await op.Kubectl.RunAsync("get", "pvc", "-n", op.Namespace);
        var events = (await op.Client.CoreV1.ListNamespacedEventAsync(op.Namespace)).Items;
        Assert.Multiple(() =>
        {
            Assert.That(claims.Select(c => c.Metadata.Name), Is.EqualTo(new[] { "keep-beat-schedule", "keep-flower-state" }));
            Assert.That(claims.Select(c => c.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid), Has.All.EqualTo(resource!.Metadata.Uid), "owned by the resource");
            Assert.That(claims[1].Spec.StorageClassName, Is.EqualTo("fast"));
            Assert.That(claims[1].Spec.AccessModes, Is.EqualTo(new[] { "ReadWriteOncePod" }));
            Assert.That(claims[0].Spec.Resources.Requests["storage"].ToString(), Is.EqualTo("64Mi"));
            Assert.That(resource.Status!.Flower!.ServiceMonitor, Is.Null, "no ServiceMonitor reported while none can exist");
            Assert.That(listed.Output, Does.Match(@"keep-flower-state\s+Pending\s+fast"), "kubectl prints the claim");
            Assert.That(events.Where(e => e.Reason == CeleryConditions.Reasons.ServiceMonitorNotInstalled && e.Type == "Warning"), Is.Not.Empty);
        });

        // The Prometheus Operator's CRD appears: the ServiceMonitor follows within the recheck interval.
        await OperatorUnderTest.InstallPrometheusOperatorCrdsAsync(op.Kubectl);
        var monitor = await Eventually.GetAsync(() => ServiceMonitorAsync(op), m => m is not null, TimeSpan.FromSeconds(30), "ServiceMonitor created once served");
        resource = await Eventually.GetAsync(() => op.GetCeleryAsync(op.Namespace, Name), c => c?.Status?.Flower?.ServiceMonitor == "keep-flower" && !ServiceMonitorWarned(c), op.ActTimeout, "status names the ServiceMonitor and the warning is gone");
        Assert.Multiple(() =>
        {
            Assert.That(monitor!["metadata"]!["labels"]!["release"]!.GetValue<string>(), Is.EqualTo("prom"));
            Assert.That(monitor["spec"]!["endpoints"]![0]!["path"]!.GetValue<string>(), Is.EqualTo("/metrics"));
            Assert.That(monitor["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/component"]!.GetValue<string>(), Is.EqualTo("flower"));
        });

        // Drift: an edited ServiceMonitor and a deleted claim are put back.
        (await op.Kubectl.RunAsync("patch", "servicemonitor", "keep-flower", "-n", op.Namespace, "--type", "merge", "-p", "{\"spec\":{\"endpoints\":[{\"port\":\"http\",\"path\":\"/elsewhere\"}]}}")).EnsureSuccess();
        (await op.Kubectl.RunAsync("delete", "pvc", "keep-beat-schedule", "-n", op.Namespace)).EnsureSuccess();
        await Eventually.GetAsync(() => ServiceMonitorAsync(op), m => m?["spec"]?["endpoints"]?[0]?["path"]?.GetValue<string>() == "/metrics", op.ActTimeout, "ServiceMonitor healed");
        await Eventually.GetAsync(() => ClaimsAsync(op), c => c.Any(x => x.Metadata.Name == "keep-beat-schedule"), op.ActTimeout, "claim recreated");

        // Turned off: the claims and the ServiceMonitor are deleted, and beat is back on an emptyDir.
        (await op.KubectlApplyAsync(LifecycleTests.Sample(Name, extra: WithoutState))).EnsureSuccess();
        await Eventually.GetAsync(() => ClaimsAsync(op), c => c.Count == 0, op.ActTimeout, "claims deleted");
        await Eventually.GetAsync(() => ServiceMonitorAsync(op), m => m is null, op.ActTimeout, "ServiceMonitor deleted");
        var beat = await op.Client.AppsV1.ReadNamespacedDeploymentAsync("keep-beat", op.Namespace);
        Assert.That(beat.Spec.Template.Spec.Volumes.Single(v => v.Name == "beat-schedule").EmptyDir, Is.Not.Null);
    }
}
