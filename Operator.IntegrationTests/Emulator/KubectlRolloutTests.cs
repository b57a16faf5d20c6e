// kubectl's rollout commands against the simulated Deployment controller, which keeps ReplicaSets as
// kube-controller-manager does: one per template, the newest revision scaled up and the others to zero, a
// ScalingReplicaSet Event per scaling. Also the workload kinds kubectl lists beside them (Jobs, Endpoints,
// EndpointSlices).
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[Category("Emulator")]
[RequiresKubectl]
public sealed class KubectlRolloutTests() : EmulatorSessionTest(new EmulatorOptions { DeploymentControllerDelay = TimeSpan.FromMilliseconds(200) })
{
    [Test]
    public async Task RolloutStatusHistoryAndUndo()
    {
        var kubectl = Session.Kubectl;
        (await kubectl.RunAsync("create", "deployment", "web", "--image=nginx:1.26", "--replicas=2")).EnsureSuccess();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=30s")).EnsureSuccess();
        (await kubectl.RunAsync("set", "image", "deployment/web", "nginx=nginx:1.27")).EnsureSuccess();
        Assert.That((await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=30s")).EnsureSuccess().Output, Does.Contain("successfully rolled out"));
        var replicaSets = await ReplicaSetsAsync();
        Assert.That(replicaSets, Is.EquivalentTo(new[] { ("nginx:1.26", 0L, "1"), ("nginx:1.27", 2L, "2") }));
        Assert.That(Revisions((await kubectl.RunAsync("rollout", "history", "deployment/web")).EnsureSuccess().Output), Is.EqualTo(new[] { "1", "2" }));

        (await kubectl.RunAsync("rollout", "undo", "deployment/web")).EnsureSuccess();
        (await kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=30s")).EnsureSuccess();
        await Eventually.GetAsync(ReplicaSetsAsync, sets => sets.Contains(("nginx:1.26", 2L, "3")), because: "the rollback re-uses the first ReplicaSet as revision 3");
        Assert.That(Revisions((await kubectl.RunAsync("rollout", "history", "deployment/web")).EnsureSuccess().Output), Is.EqualTo(new[] { "2", "3" }));
        var deployment = JsonNode.Parse((await kubectl.RunAsync("get", "deployment", "web", "-o", "json")).EnsureSuccess().Output)!;
        Assert.Multiple(() =>
        {
            Assert.That(deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>(), Is.EqualTo("nginx:1.26"));
            Assert.That(deployment["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]!.GetValue<string>(), Is.EqualTo("3"));
        });

        var described = (await kubectl.RunAsync("describe", "deployment", "web")).EnsureSuccess().Output;
        Assert.That(described, Does.Contain("ScalingReplicaSet").And.Contain("deployment-controller").And.Match("Scaled down replica set web-\\w+ from 2 to 0"));
    }

    [Test]
    public async Task ReplicaSetsAreOwnedAndLabelledByTemplateHash()
    {
        (await Session.Kubectl.RunAsync("create", "deployment", "api", "--image=nginx:1.27")).EnsureSuccess();
        (await Session.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=30s")).EnsureSuccess();
        var deployment = await Session.Client.AppsV1.ReadNamespacedDeploymentAsync("api", "default");
        var replicaSet = (await Session.Client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items.Single();
        var hash = replicaSet.Metadata.Labels["pod-template-hash"];
        var owner = replicaSet.Metadata.OwnerReferences.Single();
        Assert.Multiple(() =>
        {
            Assert.That(replicaSet.Metadata.Name, Is.EqualTo($"api-{hash}"));
            Assert.That((owner.Kind, owner.Name, owner.Uid, owner.Controller), Is.EqualTo(("Deployment", "api", deployment.Metadata.Uid, (bool?)true)));
            Assert.That(replicaSet.Spec.Selector.MatchLabels["pod-template-hash"], Is.EqualTo(hash));
            Assert.That(replicaSet.Spec.Template.Metadata.Labels["pod-template-hash"], Is.EqualTo(hash));
            Assert.That(replicaSet.Status.ReadyReplicas, Is.EqualTo(1));
        });

        (await Session.Kubectl.RunAsync("delete", "deployment", "api")).EnsureSuccess();
        await Eventually.GetAsync(() => Session.Client.AppsV1.ListNamespacedReplicaSetAsync("default"), list => list.Items.Count == 0,
            because: "the garbage collector deletes the ReplicaSets of a deleted Deployment");
    }

    [Test]
    public async Task JobsEndpointsAndSlicesAreServed()
    {
        (await Session.Kubectl.RunAsync("create", "job", "once", "--image=busybox", "--", "echo", "hi")).EnsureSuccess();
        (await Session.Kubectl.RunWithInputAsync("""
            apiVersion: v1
            kind: Endpoints
            metadata: {name: ext}
            subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 80}]}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: ext-1, labels: {kubernetes.io/service-name: ext}}
            addressType: IPv4
            endpoints: [{addresses: [10.0.0.5]}]
            ports: [{port: 80}]
            """, "apply", "-f", "-")).EnsureSuccess();
        var table = (await Session.Kubectl.RunAsync("get", "jobs,endpoints,endpointslices")).EnsureSuccess().Output;
        Assert.That(table, Does.Contain("job.batch/once").And.Contain("0/1").And.Contain("10.0.0.5:80").And.Contain("endpointslice.discovery.k8s.io/ext-1"));
        var job = await Session.Client.BatchV1.ReadNamespacedJobAsync("once", "default");
        Assert.That(job.Spec.Template.Spec.Containers.Single().Command, Is.EqualTo(new[] { "echo", "hi" }));
    }

    private async Task<List<(string Image, long Replicas, string Revision)>> ReplicaSetsAsync() =>
        [.. (await Session.Client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items.Select(rs =>
            (rs.Spec.Template.Spec.Containers.Single().Image, (long)(rs.Spec.Replicas ?? 0), rs.Metadata.Annotations["deployment.kubernetes.io/revision"]))];

    private static string[] Revisions(string history) =>
        [.. history.Split('\n').Skip(2).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()).OfType<string>()];
}
