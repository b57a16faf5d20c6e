using Microsoft.Extensions.Configuration;
using Operator.Runtime.Hosting;

namespace Operator.Tests.Hosting;

public sealed class OperatorSettingsTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;
    private static readonly Func<string?> NoServiceAccount = () => null;

    [Test]
    public void CommandLineArgumentsBindEveryOperatorSetting()
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(
        [
            "--Operator:Namespaces:0=team-a",
            "--Operator:Namespaces:1=team-b",
            "--Operator:MaxConcurrentReconciles=4",
            "--Operator:ResyncPeriod=00:05:00",
            "--Operator:ProbePort=9090",
            "--Operator:BindAddress=127.0.0.1",
            "--Operator:Metrics:Port=9443",
            "--Operator:Metrics:CertDir=/etc/metrics-certs",
            "--Operator:Metrics:DecisionCacheDuration=00:00:10",
            "--Operator:Metrics:MaxSeriesPerResourceMetric=120000",
            "--Operator:LogFormat=text",
            "--Operator:ShutdownTimeout=00:01:00",
            "--Operator:RateLimiter:QueriesPerSecond=50",
            "--Operator:Kubernetes:KubeConfigPath=/etc/kube/config",
            "--Operator:Kubernetes:Context=staging",
            "--Operator:LeaderElection:Enabled=false",
            "--Operator:LeaderElection:LeaseName=ops-lock",
            "--Operator:LeaderElection:LeaseNamespace=ops",
            "--Operator:LeaderElection:Identity=me",
        ]).Build();

        var settings = OperatorSettings.Bind(configuration, NoEnvironment, NoServiceAccount);

        Assert.That(settings.Operator.Namespaces, Is.EqualTo(new[] { "team-a", "team-b" }));
        Assert.That(settings.Operator.MaxConcurrentReconciles, Is.EqualTo(4));
        Assert.That(settings.Operator.ResyncPeriod, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(settings.Operator.ProbePort, Is.EqualTo(9090));
        Assert.That(settings.Operator.ListenAddress, Is.EqualTo(System.Net.IPAddress.Loopback));
        Assert.That(settings.Operator.Metrics, Is.EqualTo(new MetricsOptions { Port = 9443, Secure = true, CertDir = "/etc/metrics-certs", DecisionCacheDuration = TimeSpan.FromSeconds(10), MaxSeriesPerResourceMetric = 120_000 }));
        Assert.That(settings.Operator.LogFormat, Is.EqualTo(LogFormat.Text));
        Assert.That(settings.Operator.ShutdownTimeout, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(settings.Operator.RateLimiter.QueriesPerSecond, Is.EqualTo(50));
        Assert.That(settings.Operator.RateLimiter.Burst, Is.EqualTo(100), "unbound values keep their defaults");
        Assert.That(settings.Kubernetes, Is.EqualTo(new KubernetesConnectionOptions { KubeConfigPath = "/etc/kube/config", Context = "staging" }));
        Assert.That(settings.LeaderElection.Enabled, Is.False);
        Assert.That(settings.LeaderElection.LeaseName, Is.EqualTo("ops-lock"));
        Assert.That(settings.LeaderElection.LeaseNamespace, Is.EqualTo("ops"));
        Assert.That(settings.LeaderElection.Identity, Is.EqualTo("me"));
    }

    [Test]
    public void EnvironmentVariablesUseDoubleUnderscoresAndAnyCase()
    {
        const string Variable = "OPERATOR__MAXCONCURRENTRECONCILES";
        Environment.SetEnvironmentVariable(Variable, "7");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            Assert.That(OperatorSettings.Bind(configuration, NoEnvironment, NoServiceAccount).Operator.MaxConcurrentReconciles, Is.EqualTo(7));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Test]
    public void DefaultsMatchTheDocumentedOnes()
    {
        var settings = OperatorSettings.Bind(new ConfigurationBuilder().Build(), NoEnvironment, NoServiceAccount);

        Assert.That(settings.Operator.Namespaces, Is.Empty, "all namespaces");
        Assert.That(settings.Operator.MaxConcurrentReconciles, Is.EqualTo(1));
        Assert.That(settings.Operator.ResyncPeriod, Is.EqualTo(TimeSpan.FromHours(10)));
        Assert.That(settings.Operator.ProbePort, Is.EqualTo(8081));
        Assert.That(settings.Operator.ListenAddress, Is.Null, "every interface");
        Assert.That(settings.Operator.Metrics, Is.EqualTo(new MetricsOptions { Port = 8443, Secure = true, CertDir = null, DecisionCacheDuration = TimeSpan.FromMinutes(1), MaxSeriesPerResourceMetric = 60_000 }));
        Assert.That(settings.Operator.LogFormat, Is.EqualTo(LogFormat.Json));
        Assert.That(settings.Operator.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(settings.LeaderElection.Enabled, Is.True);
        Assert.That(settings.LeaderElection.LeaseNamespace, Is.EqualTo("default"));
        Assert.That(settings.LeaderElection.Identity, Does.StartWith(Environment.MachineName + "_"));
        Assert.That(settings.HostShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(30 + 10 + 5)), "drain, then release within the renew deadline, plus a margin");
    }

    [Test]
    public void ThePodNameAndNamespaceAreTheLeaderDefaults()
    {
        var environment = new Dictionary<string, string?> { ["POD_NAME"] = "operator-7f9c-abcde", ["POD_NAMESPACE"] = "celery-system" };

        var settings = OperatorSettings.Bind(new ConfigurationBuilder().Build(), name => environment.GetValueOrDefault(name), () => "from-file");

        Assert.That(settings.LeaderElection.Identity, Is.EqualTo("operator-7f9c-abcde"));
        Assert.That(settings.LeaderElection.LeaseNamespace, Is.EqualTo("celery-system"));
    }

    [Test]
    public void TheServiceAccountNamespaceIsUsedWithoutPodNamespace()
    {
        var settings = OperatorSettings.Bind(new ConfigurationBuilder().Build(), NoEnvironment, () => "from-file");

        Assert.That(settings.LeaderElection.LeaseNamespace, Is.EqualTo("from-file"));
    }

    [Test]
    public void ConfiguredValuesWinOverThePodDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Operator:LeaderElection:Identity"] = "explicit",
            ["Operator:LeaderElection:LeaseNamespace"] = "explicit-ns",
        }).Build();
        var environment = new Dictionary<string, string?> { ["POD_NAME"] = "pod", ["POD_NAMESPACE"] = "pod-ns" };

        var settings = OperatorSettings.Bind(configuration, name => environment.GetValueOrDefault(name), () => "from-file");

        Assert.That(settings.LeaderElection.Identity, Is.EqualTo("explicit"));
        Assert.That(settings.LeaderElection.LeaseNamespace, Is.EqualTo("explicit-ns"));
    }

    [TestCase("Operator:ProbePort", "70000")]
    [TestCase("Operator:ProbePort", "8443")]
    [TestCase("Operator:Metrics:Port", "-1")]
    [TestCase("Operator:Metrics:DecisionCacheDuration", "00:00:00")]
    [TestCase("Operator:Metrics:MaxSeriesPerResourceMetric", "0")]
    [TestCase("Operator:BindAddress", "localhost")]
    [TestCase("Operator:MaxConcurrentReconciles", "0")]
    [TestCase("Operator:ShutdownTimeout", "00:00:00")]
    [TestCase("Operator:Namespaces:0", " ")]
    [TestCase("Operator:LeaderElection:RenewDeadline", "00:01:00")]
    [TestCase("Operator:Kubernetes:Host", "not a url")]
    public void InvalidSettingsFailAtStartUp(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        Assert.That(() => OperatorSettings.Bind(configuration, NoEnvironment, NoServiceAccount), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void AnUnknownLogFormatFailsAtStartUp()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Operator:LogFormat"] = "xml" }).Build();

        Assert.That(() => OperatorSettings.Bind(configuration, NoEnvironment, NoServiceAccount), Throws.InstanceOf<InvalidOperationException>());
    }

    [Test]
    public void OnlyOneWayToReachTheApiServerMayBeChosen()
    {
        var both = new KubernetesConnectionOptions { Host = "http://127.0.0.1:8001", KubeConfigPath = "/etc/kube/config" };

        Assert.That(both.Validate, Throws.ArgumentException);
        Assert.That(new KubernetesConnectionOptions { Host = "http://127.0.0.1:8001" }.ToClientConfiguration().Host, Is.EqualTo("http://127.0.0.1:8001"));
    }

    [Test]
    public void ACertificateDirectoryNeedsSecureMetrics() =>
        Assert.That(new MetricsOptions { Secure = false, CertDir = "/etc/metrics-certs" }.Validate, Throws.ArgumentException);

    [Test]
    public void IPv6BindAddressesParse() =>
        Assert.That(new OperatorOptions { BindAddress = "::1" }.ListenAddress, Is.EqualTo(System.Net.IPAddress.IPv6Loopback));

    [Test]
    public void ControllersAndInformersGetTheOperatorSettings()
    {
        var options = new OperatorOptions { Namespaces = ["a"], MaxConcurrentReconciles = 3, ResyncPeriod = TimeSpan.Zero, ShutdownTimeout = TimeSpan.FromSeconds(5) };

        var controller = options.ToControllerOptions();

        Assert.That((controller.MaxConcurrentReconciles, controller.ResyncPeriod, controller.ShutdownTimeout), Is.EqualTo((3, TimeSpan.Zero, TimeSpan.FromSeconds(5))));
        Assert.That(options.ToInformerOptions().Namespaces, Is.EqualTo(new[] { "a" }));
    }
}
