// Built-in objects come back shaped as kube-apiserver 1.32 stores them: Secrets' stringData merged into data,
// null ConfigMap values as "", generation only on kinds that keep one, the namespace name label, Service defaults
// and cluster IPs, pod templates with `creationTimestamp: null` and `resources: {}`, and what the default
// namespace holds from the start.
using System.Net.Sockets;
using System.Text;

namespace Operator.IntegrationTests.Emulator;

public sealed class ObjectShapeTests(ClusterTarget target) : ConformanceFixture(target)
{
    private static V1Service Service(string name, string? clusterIp = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Selector = new Dictionary<string, string> { ["app"] = name }, Ports = [new V1ServicePort { Port = 80 }] },
    };

    private async Task<JsonNode> KubectlJsonAsync(params string[] arguments) =>
        JsonNode.Parse((await Cluster.Kubectl.RunAsync([.. arguments, "-n", Cluster.Namespace, "-o", "json"])).EnsureSuccess().Output)!;

    [Test]
    public async Task SecretStringDataIsMergedIntoData()
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s" },
            Data = new Dictionary<string, byte[]> { ["a"] = Encoding.UTF8.GetBytes("old"), ["keep"] = Encoding.UTF8.GetBytes("k") },
            StringData = new Dictionary<string, string> { ["a"] = "new", ["b"] = "bé" },
        };
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, Cluster.Namespace);
        var stored = await KubectlJsonAsync("get", "secret", "s");
        Assert.Multiple(() =>
        {
            Assert.That(stored["stringData"], Is.Null);
            Assert.That(stored["data"]!.AsObject().ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(Convert.FromBase64String(p.Value!.GetValue<string>()))),
                Is.EquivalentTo(new Dictionary<string, string> { ["a"] = "new", ["b"] = "bé", ["keep"] = "k" }));
        });
    }

    [Test]
    public async Task ANullConfigMapValueIsStoredAsEmpty()
    {
        await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = null!, ["b"] = "x" } }, Cluster.Namespace);
        var stored = await KubectlJsonAsync("get", "configmap", "c");
        Assert.That(stored["data"]!.ToJsonString(), Is.EqualTo("""{"a":"","b":"x"}"""));
    }

    [Test]
    public async Task OnlyKindsWithAGenerationCarryOne()
    {
        await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, Cluster.Namespace);
        var secret = await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, Cluster.Namespace);
        await Cluster.Client.CoreV1.CreateNamespacedServiceAsync(Service("svc"), Cluster.Namespace);
        secret.Data = new Dictionary<string, byte[]> { ["k"] = [1] };
        await Cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "s", Cluster.Namespace);
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 1), "apply", "-n", Cluster.Namespace, "-f", "-")).EnsureSuccess();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await KubectlJsonAsync("get", "configmap", "c"))["metadata"]!["generation"], Is.Null, "configmap");
            Assert.That((await KubectlJsonAsync("get", "secret", "s"))["metadata"]!["generation"], Is.Null, "secret after an update");
            Assert.That((await KubectlJsonAsync("get", "service", "svc"))["metadata"]!["generation"], Is.Null, "service");
            Assert.That((await KubectlJsonAsync("get", "namespace", Cluster.Namespace))["metadata"]!["generation"], Is.Null, "namespace");
            Assert.That((await KubectlJsonAsync("get", "deployment", "web"))["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(1), "deployment");
        });
    }

    [Test]
    public async Task NamespacesCarryTheirNameLabel()
    {
        var ns = await Cluster.Client.CoreV1.ReadNamespaceAsync(Cluster.Namespace);
        Assert.That(ns.Metadata.Labels, Does.ContainKey("kubernetes.io/metadata.name").WithValue(Cluster.Namespace));
    }

    [Test]
    public async Task ServicesAreDefaultedAndGetClusterIps()
    {
        var first = await Cluster.Client.CoreV1.CreateNamespacedServiceAsync(Service("one"), Cluster.Namespace);
        var second = await Cluster.Client.CoreV1.CreateNamespacedServiceAsync(Service("two"), Cluster.Namespace);
        var headless = await Cluster.Client.CoreV1.CreateNamespacedServiceAsync(Service("headless", "None"), Cluster.Namespace);
        var raw = await KubectlJsonAsync("get", "service", "one");
        Assert.Multiple(() =>
        {
            Assert.That(IPAddress.TryParse(first.Spec.ClusterIP, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork, first.Spec.ClusterIP);
            Assert.That(first.Spec.ClusterIPs, Is.EqualTo(new[] { first.Spec.ClusterIP }));
            Assert.That(second.Spec.ClusterIP, Is.Not.EqualTo(first.Spec.ClusterIP));
            Assert.That(first.Spec.IpFamilies, Is.EqualTo(new[] { "IPv4" }));
            Assert.That(first.Spec.IpFamilyPolicy, Is.EqualTo("SingleStack"));
            Assert.That(first.Spec.InternalTrafficPolicy, Is.EqualTo("Cluster"));
            Assert.That(first.Spec.SessionAffinity, Is.EqualTo("None"));
            Assert.That(first.Spec.Type, Is.EqualTo("ClusterIP"));
            Assert.That(raw["status"]!.ToJsonString(), Is.EqualTo("""{"loadBalancer":{}}"""));
            Assert.That(headless.Spec.ClusterIP, Is.EqualTo("None"));
            Assert.That(headless.Spec.ClusterIPs, Is.EqualTo(new[] { "None" }));
        });

        var allocated = first.Spec.ClusterIP;
        first.Spec.ClusterIP = null;
        first.Spec.ClusterIPs = null;
        first.Spec.Selector["app"] = "changed";
        var replaced = await Cluster.Client.CoreV1.ReplaceNamespacedServiceAsync(first, "one", Cluster.Namespace);
        Assert.That(replaced.Spec.ClusterIP, Is.EqualTo(allocated), "an update that leaves the cluster IP out keeps it");
    }

    [Test]
    public async Task PodTemplatesKeepANullCreationTimestampAndEmptyResources()
    {
        (await Cluster.Kubectl.RunWithInputAsync(Manifests.Deployment("web", 1), "apply", "--server-side", "-n", Cluster.Namespace, "-f", "-")).EnsureSuccess();
        var template = (await KubectlJsonAsync("get", "deployment", "web"))["spec"]!["template"]!;
        Assert.Multiple(() =>
        {
            Assert.That(template["metadata"]!.AsObject().TryGetPropertyValue("creationTimestamp", out var timestamp) && timestamp is null, template["metadata"]!.ToJsonString());
            Assert.That(template["spec"]!["containers"]![0]!["resources"]!.ToJsonString(), Is.EqualTo("{}"));
        });
    }

    [Test]
    public async Task TheDefaultNamespaceHasTheKubernetesServiceAndDefaultServiceAccount()
    {
        var kubernetes = await Cluster.Client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default");
        var account = await Cluster.Client.CoreV1.ReadNamespacedServiceAccountAsync("default", "default");
        Assert.Multiple(() =>
        {
            Assert.That(kubernetes.Spec.Ports.Single().Port, Is.EqualTo(443));
            Assert.That(kubernetes.Spec.Ports.Single().Name, Is.EqualTo("https"));
            Assert.That(IPAddress.TryParse(kubernetes.Spec.ClusterIP, out _), kubernetes.Spec.ClusterIP);
            Assert.That(account.Metadata.Name, Is.EqualTo("default"));
        });
    }
}
