// kubectl's generator commands (`kubectl create secret|configmap|namespace|deployment|serviceaccount|service`) and
// `kubectl auth can-i` send their typed object as protobuf (application/vnd.kubernetes.protobuf, the "k8s\0"
// envelope) and prefer protobuf answers. Each test checks what the user sees: the command's own output (decoded from
// the protobuf answer) and the object a JSON client then reads from the API.
using System.Text;

namespace Operator.IntegrationTests.Emulator;

[RequiresKubectl]
public sealed class KubectlProtobufTests(ClusterTarget target) : ConformanceFixture(target)
{
    [Test]
    public async Task CreateSecretAndConfigMap()
    {
        var printed = JsonNode.Parse((await Cluster.Kubectl.RunAsync("create", "secret", "generic", "creds", "--from-literal=user=admin",
            "--from-literal=empty=", "-o", "json")).EnsureSuccess().Output)!;
        Assert.That(printed["metadata"]!["uid"]!.GetValue<string>(), Is.Not.Empty, "kubectl printed the object the server answered");
        var secret = await Cluster.Client.CoreV1.ReadNamespacedSecretAsync("creds", Cluster.Namespace);
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(secret.Data["user"]), Is.EqualTo("admin"));
            Assert.That(secret.Data["empty"], Is.Empty);
            Assert.That(secret.Type, Is.EqualTo("Opaque"));
        });

        (await Cluster.Kubectl.RunAsync("create", "configmap", "settings", "--from-literal=mode=fast", "--from-literal=blank=")).EnsureSuccess();
        var map = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", Cluster.Namespace);
        Assert.That(map.Data, Is.EquivalentTo(new Dictionary<string, string> { ["mode"] = "fast", ["blank"] = "" }));
    }

    // --replicas=0 is a pointer field set to zero: it must stay 0, not become the default 1.
    [Test]
    public async Task CreateDeploymentKeepsZeroReplicasCommandAndPort()
    {
        (await Cluster.Kubectl.RunAsync("create", "deployment", "idle", "--image=nginx:1.27", "--replicas=0", "--port=8080", "--", "sleep", "10")).EnsureSuccess();
        var deployment = await Cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("idle", Cluster.Namespace);
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Spec.Replicas, Is.Zero);
            Assert.That(deployment.Spec.Selector.MatchLabels, Is.EquivalentTo(new Dictionary<string, string> { ["app"] = "idle" }));
            Assert.That(container.Image, Is.EqualTo("nginx:1.27"));
            Assert.That(container.Command, Is.EqualTo(new[] { "sleep", "10" }));
            Assert.That(container.Ports.Single().ContainerPort, Is.EqualTo(8080));
        });
    }

    [Test]
    public async Task CreateServiceAccountServiceAndNamespace()
    {
        (await Cluster.Kubectl.RunAsync("create", "serviceaccount", "bot")).EnsureSuccess();
        Assert.That((await Cluster.Client.CoreV1.ReadNamespacedServiceAccountAsync("bot", Cluster.Namespace)).Metadata.Uid, Is.Not.Empty);

        (await Cluster.Kubectl.RunAsync("create", "service", "clusterip", "front", "--tcp=80:8080")).EnsureSuccess();
        var service = await Cluster.Client.CoreV1.ReadNamespacedServiceAsync("front", Cluster.Namespace);
        var port = service.Spec.Ports.Single();
        Assert.Multiple(() =>
        {
            Assert.That((port.Port, port.TargetPort.Value, port.Protocol), Is.EqualTo((80, "8080", "TCP")));
            Assert.That(service.Spec.Type, Is.EqualTo("ClusterIP"));
            Assert.That(service.Spec.Selector, Is.EquivalentTo(new Dictionary<string, string> { ["app"] = "front" }));
        });

        var name = Cluster.UniqueName("created-by-kubectl");
        Cluster.DeleteOnDispose(name);
        (await Cluster.Kubectl.RunAsync("create", "namespace", name)).EnsureSuccess();
        Assert.That((await Cluster.Client.CoreV1.ReadNamespaceAsync(name)).Status.Phase, Is.EqualTo("Active"));
    }

    [Test]
    public async Task AuthCanIAnswers()
    {
        var answer = await Cluster.Kubectl.RunAsync("auth", "can-i", "get", "secrets");
        Assert.That((answer.ExitCode, answer.Output.Trim()), Is.EqualTo((0, "yes")), answer.Error);
    }

    // An error reaches kubectl as a Status it can decode: the real message, not a decoding failure.
    [Test]
    public async Task ErrorsAreReadable()
    {
        (await Cluster.Kubectl.RunAsync("create", "configmap", "twice")).EnsureSuccess();
        var again = await Cluster.Kubectl.RunAsync("create", "configmap", "twice");
        Assert.That(again.Error, Does.Contain("configmaps \"twice\" already exists"));
    }
}
