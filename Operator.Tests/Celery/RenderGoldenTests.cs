using Operator.Tests.Cli;

namespace Operator.Tests.Celery;

/// <summary>
/// `render` of every sample equals its golden file in Operator.Tests/Golden. After an intended change, run the
/// tests with UPDATE_GOLDEN=1 to rewrite the files, and review the diff.
/// </summary>
public sealed class RenderGoldenTests
{
    private static IEnumerable<string> Samples() => SampleResources.Names;

    [TestCaseSource(nameof(Samples))]
    public async Task RenderMatchesGoldenFile(string sample)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await OfflineCommandLine.RunAsync(["render", "-f", SampleResources.FilePath(sample), "--broker-url", SampleResources.BrokerUrls[sample]], stdout, stderr);
        Assert.That(exit, Is.Zero, stderr.ToString());

        var golden = RepositoryRoot.File($"Operator.Tests/Golden/{sample}.yaml");
        var actual = stdout.ToString();
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(golden, actual);
        }

        Assert.That(File.Exists(golden), Is.True, $"missing golden file {golden}; run with UPDATE_GOLDEN=1");
        Assert.That(actual, Is.EqualTo(await File.ReadAllTextAsync(golden)), $"render of {sample} changed; rerun with UPDATE_GOLDEN=1 if intended");
    }

    [Test]
    public async Task RenderedSecretsNeverShowTheBrokerUrlOutsideTheDerivedKedaSecret()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        await OfflineCommandLine.RunAsync(["render", "-f", SampleResources.FilePath("rabbitmq-hpa"), "--broker-url", SampleResources.BrokerUrls["rabbitmq-hpa"]], stdout, stderr);
        Assert.That(stdout.ToString(), Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task RenderReportsInvalidResourcesWithTheirFields()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """
                apiVersion: celeryproject.org/v1alpha1
                kind: Celery
                metadata: {name: bad}
                spec:
                  image: x
                  app: proj
                  broker: {type: redis, urlSecretRef: {name: s, key: url}}
                  workers:
                    - name: Bad_Name
                """);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await OfflineCommandLine.RunAsync(["render", "-f", file], stdout, stderr);
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(1));
                Assert.That(stderr.ToString(), Does.Contain("spec.workers[0].name"));
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task MalformedBrokerUrlIsAnErrorThatDoesNotEchoTheUrl()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await OfflineCommandLine.RunAsync(["render", "-f", SampleResources.FilePath("minimal"), "--broker-url", "redis://:pa55word@host:notaport/0"], stdout, stderr);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(stderr.ToString(), Does.Contain("port"));
            Assert.That(stderr.ToString(), Does.Not.Contain("pa55word"));
        });
    }

    [Test]
    public async Task RenderOfAFailoverUrlListWatchesTheFirstBrokerAndPrintsNoCredential()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """
                apiVersion: celeryproject.org/v1alpha1
                kind: Celery
                metadata: {name: jobs, namespace: jobs}
                spec:
                  image: x
                  app: proj
                  broker: {type: rabbitmq, urlSecretRef: {name: s, key: url}}
                  workers:
                    - name: default
                      queues: [celery]
                      autoscaling: {minReplicas: 1, maxReplicas: 5, queueLength: {targetPerReplica: 10}}
                """);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await OfflineCommandLine.RunAsync(["render", "-f", file, "--broker-url", "amqp://u:firstpw@h1:5672/v;amqp://u:secondpw@h2:5672/v"], stdout, stderr);
            var header = stdout.ToString().Split('\n')[0];
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.Zero, stderr.ToString());
                Assert.That(header, Does.Contain("amqp://***@h1:5672 vhost v (first of 2 failover URLs"));
                Assert.That(header, Does.Not.Contain("firstpw").And.Not.Contain("secondpw").And.Not.Contain("h2"));
                // The derived KEDA Secret carries the first URL only (base64 in data): no second host, no vhost "v;amqp...".
                var host = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
                    System.Text.RegularExpressions.Regex.Match(stdout.ToString(), @"\n  host: (\S+)").Groups[1].Value));
                Assert.That(host, Is.EqualTo("amqp://u:firstpw@h1:5672/v"));
            });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
