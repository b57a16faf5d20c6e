namespace Operator.IntegrationTests.Packaging;

public sealed class RestrictedPodSecurityTests
{
    private const string Compliant = """
        securityContext:
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
        containers:
          - name: app
            image: app
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
        volumes:
          - name: tmp
            emptyDir: {}
        """;

    [Test]
    public void ACompliantPodHasNoViolations() =>
        Assert.That(RestrictedPodSecurity.Violations(KubernetesYaml.Deserialize<V1PodSpec>(Compliant)), Is.Empty);

    [TestCase("hostNetwork: true", "host namespaces")]
    [TestCase("volumes: [{name: h, hostPath: {path: /}}]", "volume types")]
    [TestCase("securityContext: {runAsNonRoot: true, seccompProfile: {type: Unconfined}}", "seccomp")]
    [TestCase("securityContext: {seccompProfile: {type: RuntimeDefault}}", "runAsNonRoot")]
    [TestCase("securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}", "runAsUser")]
    [TestCase("securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}, sysctls: [{name: kernel.msgmax, value: '1'}]}", "sysctls")]
    public void PodLevelViolationsAreFound(string podOverride, string check)
    {
        var violations = RestrictedPodSecurity.Violations(WithPodField(podOverride));
        Assert.That(violations, Has.Some.StartsWith(check + ":"));
    }

    [TestCase("{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, privileged: true}", "privileged")]
    [TestCase("{capabilities: {drop: [ALL]}}", "allowPrivilegeEscalation")]
    [TestCase("{allowPrivilegeEscalation: false}", "capabilities")]
    [TestCase("{allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_ADMIN]}}", "capabilities")]
    [TestCase("{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, procMount: Unmasked}", "procMount")]
    [TestCase("{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, seLinuxOptions: {user: root}}", "SELinux")]
    public void ContainerLevelViolationsAreFound(string containerContext, string check)
    {
        var pod = KubernetesYaml.Deserialize<V1PodSpec>(Compliant.Replace(
            "securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}", "securityContext: " + containerContext, StringComparison.Ordinal));
        Assert.That(RestrictedPodSecurity.Violations(pod), Has.Some.StartsWith(check + ":"));
    }

    [Test]
    public void NetBindServiceMayBeAdded()
    {
        var pod = KubernetesYaml.Deserialize<V1PodSpec>(Compliant.Replace("drop: [ALL]", "drop: [ALL], add: [NET_BIND_SERVICE]", StringComparison.Ordinal));
        Assert.That(RestrictedPodSecurity.Violations(pod), Is.Empty);
    }

    [Test]
    public void AHostPortIsAViolation()
    {
        var pod = KubernetesYaml.Deserialize<V1PodSpec>(Compliant.Replace("image: app", "image: app\n    ports: [{containerPort: 80, hostPort: 80}]", StringComparison.Ordinal));
        Assert.That(RestrictedPodSecurity.Violations(pod), Has.Some.StartsWith("host ports:"));
    }

    private static V1PodSpec WithPodField(string podOverride)
    {
        var pod = KubernetesYaml.Deserialize<V1PodSpec>(Compliant);
        var patch = KubernetesYaml.Deserialize<V1PodSpec>(podOverride + "\ncontainers: []");
        pod.HostNetwork = patch.HostNetwork ?? pod.HostNetwork;
        pod.Volumes = patch.Volumes ?? pod.Volumes;
        pod.SecurityContext = patch.SecurityContext ?? pod.SecurityContext;
        return pod;
    }
}
