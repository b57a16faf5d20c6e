// The emulator's --service-cluster-ip-range: Services get addresses from it, the `kubernetes` Service its first, and
// an address asked for outside it or already taken is refused in kube-apiserver's words.
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
internal sealed class ServiceClusterIpRangeTests
{
    private static V1Service Service(string name, string? clusterIp = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Ports = [new V1ServicePort { Port = 80 }] },
    };

    [Test]
    public async Task ServicesTakeAddressesFromTheConfiguredRange()
    {
        await using var session = await EmulatorSession.StartAsync(new EmulatorOptions { ServiceClusterIpRange = "10.100.0.0/24" });
        var kubernetes = await session.Client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default");
        var web = await session.Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), "default");
        var pinned = await session.Client.CoreV1.CreateNamespacedServiceAsync(Service("pinned", "10.100.0.200"), "default");
        var taken = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.CreateNamespacedServiceAsync(Service("again", "10.100.0.200"), "default"));
        var outside = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.CreateNamespacedServiceAsync(Service("outside", "10.7.0.1"), "default"));
        Assert.Multiple(() =>
        {
            Assert.That(kubernetes.Spec.ClusterIP, Is.EqualTo("10.100.0.1"));
            Assert.That(web.Spec.ClusterIP, Does.StartWith("10.100.0.").And.Not.EqualTo("10.100.0.1"));
            Assert.That(pinned.Spec.ClusterIP, Is.EqualTo("10.100.0.200"));
            Assert.That(taken!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(taken.Response.Content, Does.Contain("spec.clusterIPs: Invalid value: []string{\\\"10.100.0.200\\\"}: failed to allocate IP 10.100.0.200: provided IP is already allocated"));
            Assert.That(outside!.Response.Content, Does.Contain("the provided IP (10.7.0.1) is not in the valid range. The range of valid IPs is 10.100.0.0/24"));
        });
    }

    [Test]
    public void TheCommandLineRefusesARangeThatIsNotIpv4Cidr()
    {
        var parsed = EmulatorCommandLine.Parse(["--service-cluster-ip-range", "fd00::/108"]);
        Assert.That(parsed.Error, Does.Contain("--service-cluster-ip-range"));
        Assert.That(EmulatorCommandLine.Parse(["--service-cluster-ip-range", "10.0.0.0/16"]).Options!.ServiceClusterIpRange, Is.EqualTo("10.0.0.0/16"));
    }
}
