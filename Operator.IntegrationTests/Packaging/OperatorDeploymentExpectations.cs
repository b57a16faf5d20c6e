// What every shipped operator Deployment must be, whichever installer rendered it: restricted pod security,
// a read-only root filesystem, the service account token mounted, probes on /healthz and /readyz of the plain
// probe port (8081), metrics on their own port (8443), resources, leader election on when more than one replica runs, and the pod's identity in the
// environment (the lease holder is the pod name).

namespace Operator.IntegrationTests.Packaging;

internal static class OperatorDeploymentExpectations
{
    public static void AssertWellFormed(V1Deployment deployment)
    {
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.Single(c => c.Name == "operator");
        var env = (container.Env ?? []).ToDictionary(e => e.Name, StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(RestrictedPodSecurity.Violations(pod), Is.Empty, "restricted Pod Security Standard");
            Assert.That(container.SecurityContext?.ReadOnlyRootFilesystem, Is.True, "read-only root filesystem");
            Assert.That(pod.AutomountServiceAccountToken, Is.True);
            Assert.That(container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort), Is.EquivalentTo(new Dictionary<string, int> { ["probes"] = 8081, ["metrics"] = 8443 }));
            foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
            {
                Assert.That(probe?.HttpGet?.Port?.Value, Is.EqualTo("probes"), "probes use the plain probe port");
            }

            Assert.That(container.LivenessProbe?.HttpGet?.Path, Is.EqualTo("/healthz"));
            Assert.That(container.ReadinessProbe?.HttpGet?.Path, Is.EqualTo("/readyz"));
            Assert.That(container.Resources?.Requests, Does.ContainKey("cpu").And.ContainKey("memory"));
            Assert.That(container.Resources?.Limits, Does.ContainKey("memory"));
            Assert.That(env["POD_NAME"].ValueFrom?.FieldRef?.FieldPath, Is.EqualTo("metadata.name"));
            Assert.That(env["POD_NAMESPACE"].ValueFrom?.FieldRef?.FieldPath, Is.EqualTo("metadata.namespace"));
            Assert.That(env["OPERATOR__LOGFORMAT"].Value, Is.AnyOf("json", "text"));
            Assert.That(int.Parse(env["OPERATOR__MAXCONCURRENTRECONCILES"].Value, System.Globalization.CultureInfo.InvariantCulture), Is.Positive);
            if (deployment.Spec.Replicas > 1)
            {
                Assert.That(env["OPERATOR__LEADERELECTION__ENABLED"].Value, Is.EqualTo("true"), "several replicas need leader election");
            }

            Assert.That(pod.TerminationGracePeriodSeconds, Is.GreaterThanOrEqualTo(45), "drain (30 s) plus lease release (10 s) plus margin");
            Assert.That(deployment.Spec.Selector.MatchLabels.All(l => deployment.Spec.Template.Metadata.Labels[l.Key] == l.Value), Is.True);
        });
    }

    /// <summary>The metrics Service selects exactly the operator pods and exposes their metrics port only, not the probes.</summary>
    public static void AssertMetricsServiceSelects(V1Service service, V1Deployment deployment)
    {
        var podLabels = deployment.Spec.Template.Metadata.Labels;
        Assert.Multiple(() =>
        {
            Assert.That(service.Spec.Selector.All(s => podLabels.TryGetValue(s.Key, out var v) && v == s.Value), Is.True, "selector matches the pods");
            var port = service.Spec.Ports.Single();
            Assert.That(port.Name, Is.EqualTo("metrics"));
            Assert.That(port.TargetPort.Value, Is.EqualTo("metrics"));
            Assert.That(port.Port, Is.EqualTo(8443));
        });
    }

    /// <summary>
    /// The NetworkPolicy applies to exactly the operator pods and admits ingress on one port only, the metrics Service's
    /// target port, which a container of the pods declares (a name no container has would admit nothing at all).
    /// </summary>
    public static void AssertNetworkPolicyAdmitsOnlyMetrics(V1NetworkPolicy policy, V1Deployment deployment, V1Service metrics)
    {
        var podLabels = deployment.Spec.Template.Metadata.Labels;
        var containerPorts = deployment.Spec.Template.Spec.Containers.SelectMany(c => c.Ports ?? []).Select(p => p.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(policy.Spec.PodSelector.MatchLabels.All(l => podLabels.TryGetValue(l.Key, out var v) && v == l.Value), Is.True, "selects the operator pods");
            Assert.That(policy.Spec.PolicyTypes, Is.EqualTo(new[] { "Ingress" }), "egress stays open for the API server");
            var admitted = policy.Spec.Ingress.SelectMany(rule => rule.Ports ?? []).ToList();
            Assert.That(admitted.Select(p => p.Port.Value), Is.EqualTo(new[] { metrics.Spec.Ports.Single().TargetPort.Value }), "only the metrics port");
            Assert.That(containerPorts, Does.Contain(admitted.Single().Port.Value), "a port the container declares");
        });
    }
}
