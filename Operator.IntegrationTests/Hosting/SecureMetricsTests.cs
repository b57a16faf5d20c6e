// /metrics as a cluster serves it by default: the operator runs as its service account with the shipped RBAC
// (deploy/operator, including the metrics-reader ClusterRole) against an emulator that authorizes by RBAC and
// answers TokenReviews and SubjectAccessReviews. A scraper bound to metrics-reader gets 200; a token the API server
// does not know, or no token, gets 401; a known user without the binding gets 403. Probes stay open on their own
// plain port; the metrics port speaks only TLS. The served certificate is read with openssl s_client, and one made
// with openssl (as cert-manager would mount it) is verified by curl and replaced without a restart.
using System.Text.RegularExpressions;
using Operator.IntegrationTests.Packaging;
using Operator.Runtime.Hosting;

namespace Operator.IntegrationTests.Hosting;

[NonParallelizable]
public sealed partial class SecureMetricsTests
{
    private const string Prometheus = "system:serviceaccount:monitoring:prometheus";
    private const string Grafana = "system:serviceaccount:monitoring:grafana";

    private RbacEnforcedOperator cluster = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        cluster = await StartOperatorAsync();
        await cluster.GrantMetricsReaderAsync(Prometheus);
        cluster.Session.KubeconfigFor(Grafana);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    [Test]
    public async Task WithoutATokenTheAnswerIs401()
    {
        var (code, body) = await cluster.ScrapeMetricsAsync(token: null);
        Assert.That(code, Is.EqualTo(401));
        Assert.That(body, Does.Not.Contain("controller_runtime"));
    }

    [Test]
    public async Task ATokenTheApiServerDoesNotAuthenticateGets401()
    {
        var (code, body) = await cluster.ScrapeMetricsAsync("not-a-token-anyone-issued");
        Assert.That(code, Is.EqualTo(401));
        Assert.That(body, Does.Not.Contain("controller_runtime"));
    }

    [Test]
    public async Task AnAuthenticatedUserWithoutGetOnMetricsGets403()
    {
        var (code, body) = await cluster.ScrapeMetricsAsync(Grafana);
        Assert.That(code, Is.EqualTo(403));
        Assert.That(body, Does.Not.Contain("controller_runtime"));
    }

    [Test]
    public async Task AUserBoundToTheMetricsReaderRoleGetsTheMetrics()
    {
        var (code, body) = await cluster.ScrapeMetricsAsync(Prometheus);
        Assert.That(code, Is.EqualTo(200), body);
        Assert.That(body, Does.Contain("process_resident_memory_bytes"));
    }

    [Test]
    public async Task RepeatedScrapesWithOneTokenAreReviewedOnce()
    {
        const string Scraper = "system:serviceaccount:monitoring:repeated";
        await cluster.GrantMetricsReaderAsync(Scraper);
        int Reviews() => cluster.Decisions.Count(d => d.Allowed && d.Request.Resource is "tokenreviews" or "subjectaccessreviews");
        var before = Reviews();
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await cluster.ScrapeMetricsAsync(Scraper)).Code, Is.EqualTo(200));
        }

        Assert.That(Reviews() - before, Is.EqualTo(2), "one TokenReview and one SubjectAccessReview for three scrapes within the cache duration");
    }

    [Test]
    public async Task ProbesAnswerWithoutATokenOnThePlainPortWhichServesNoMetrics()
    {
        using var http = new HttpClient { BaseAddress = cluster.ProbeUrl, Timeout = TimeSpan.FromSeconds(10) };
        using var healthz = await http.GetAsync(new Uri(ProbeEndpoints.LivenessPath, UriKind.Relative));
        using var readyz = await http.GetAsync(new Uri(ProbeEndpoints.ReadinessPath, UriKind.Relative));
        using var metrics = await http.GetAsync(new Uri(PrometheusExport.Path, UriKind.Relative));
        Assert.Multiple(async () =>
        {
            Assert.That(healthz.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await healthz.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
            Assert.That(readyz.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable), "readiness, not an authentication answer");
            Assert.That(metrics.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "metrics are served on the metrics port only");
        });
    }

    [Test]
    public async Task TheMetricsPortRefusesPlainHttpAndServesNoProbes()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var plain = new UriBuilder(cluster.MetricsUrl) { Scheme = "http", Path = PrometheusExport.Path }.Uri;
        Assert.That(async () => await http.GetAsync(plain), Throws.InstanceOf<HttpRequestException>(), "no answer over plain HTTP");

        // curl, a client no one here wrote, sees the same: no HTTP response at all (status 000).
        var curl = await LocalProcess.RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", plain.ToString()], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.That(curl.Output.Trim(), Is.EqualTo("000"), curl.ToString());

        var probeOnMetricsPort = await LocalProcess.RunAsync("curl", ["-sk", "-o", "/dev/null", "-w", "%{http_code}", new Uri(cluster.MetricsUrl, ProbeEndpoints.LivenessPath).ToString()],
            new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.That(probeOnMetricsPort.Output.Trim(), Is.EqualTo("404"), probeOnMetricsPort.ToString());
    }

    [Test]
    public async Task ACertificateFromTheMountedDirectoryIsVerifiedByCurlAndReplacedWithoutARestart()
    {
        var directory = Directory.CreateTempSubdirectory("metrics-certs-").FullName;
        try
        {
            var first = await MakeCertificateAsync(directory, "first");
            var second = await MakeCertificateAsync(directory, "second");
            await InstallAsync(directory, first);
            await using var secured = await StartOperatorAsync($"--Operator:Metrics:CertDir={directory}");
            await secured.GrantMetricsReaderAsync(Prometheus);

            Assert.That(await ServedCertificateAsync(secured.MetricsUrl), Is.EqualTo(CertificateBody(first)));
            var verified = await LocalProcess.RunAsync("curl",
                ["-s", "--cacert", Path.Combine(first, MetricsCertificate.CertificateFile), "-H", $"Authorization: Bearer {Prometheus}", "-o", "/dev/null", "-w", "%{http_code}", new Uri(secured.MetricsUrl, PrometheusExport.Path).ToString()],
                new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(20), CancellationToken.None);
            Assert.That(verified.Output.Trim(), Is.EqualTo("200"), $"curl verifies the mounted certificate: {verified}");

            // As the kubelet updates a Secret volume: new files swapped in, no restart, no signal.
            await InstallAsync(directory, second);
            await Eventually.UntilAsync("the replaced certificate is served", TimeSpan.FromSeconds(30),
                async _ => await ServedCertificateAsync(secured.MetricsUrl) == CertificateBody(second), CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<RbacEnforcedOperator> StartOperatorAsync(params string[] extraArguments)
    {
        var (manifests, operatorNamespace, serviceAccount, watchNamespaces) = await RbacCoverageTests.RbacFromAsync(RbacSource.DeployDirectory);
        return await RbacEnforcedOperator.StartAsync(manifests, operatorNamespace, serviceAccount, ["team-a"], watchNamespaces, extraArguments);
    }

    /// <summary>A key and a self-signed certificate for 127.0.0.1 made by openssl, in a directory of their own.</summary>
    private static async Task<string> MakeCertificateAsync(string parent, string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(parent, ".." + name)).FullName;
        var result = await LocalProcess.RunAsync("openssl",
        [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", $"/CN=celery-operator-metrics-{name}", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", Path.Combine(directory, MetricsCertificate.KeyFile), "-out", Path.Combine(directory, MetricsCertificate.CertificateFile),
        ], new Dictionary<string, string?>(), directory, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return directory;
    }

    /// <summary>Points tls.crt and tls.key at <paramref name="source"/>'s through a symlinked data directory, swapped atomically as the kubelet does.</summary>
    private static async Task InstallAsync(string directory, string source)
    {
        var data = Path.Combine(directory, "..data");
        var next = Path.Combine(directory, "..data_next");
        File.CreateSymbolicLink(next, Path.GetFileName(source));
        // rename(2) of the link itself (mv -T), which replaces the old link in one step; File.Move would follow it.
        var moved = await LocalProcess.RunAsync("mv", ["-T", next, data], new Dictionary<string, string?>(), directory, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.That(moved.ExitCode, Is.Zero, moved.ToString());
        foreach (var file in new[] { MetricsCertificate.CertificateFile, MetricsCertificate.KeyFile })
        {
            var link = Path.Combine(directory, file);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", file));
            }
        }
    }

    /// <summary>The certificate the server presents, as openssl s_client reads it (base64 body, no line breaks).</summary>
    private static async Task<string> ServedCertificateAsync(Uri url)
    {
        var result = await LocalProcess.RunAsync("openssl", ["s_client", "-connect", url.Authority], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(20), CancellationToken.None);
        var match = PemBody().Match(result.Output);
        Assert.That(match.Success, Is.True, result.ToString());
        return match.Groups["body"].Value.Replace("\n", string.Empty, StringComparison.Ordinal).Trim();
    }

    private static string CertificateBody(string directory) =>
        PemBody().Match(File.ReadAllText(Path.Combine(directory, MetricsCertificate.CertificateFile))).Groups["body"].Value.Replace("\n", string.Empty, StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----(?<body>[A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----")]
    private static partial Regex PemBody();
}
