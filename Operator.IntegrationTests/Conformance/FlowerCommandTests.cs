// Flower has no Debian package and cannot be installed here, so its generated command line and probes are
// checked against what Flower 2.0 documents instead of a running Flower: the options it defines (flower/options.py,
// listed in its "Configuration" documentation), that `celery flower` hands its arguments to Tornado's option
// parser (which takes --name=value), that any option can be set as FLOWER_<NAME> in the environment, and that
// GET /healthcheck (under --url_prefix when set) answers "OK" without authentication.
using System.Text.RegularExpressions;
using Operator.Celery.Builders;

namespace Operator.IntegrationTests.Conformance;

[Category(ConformanceCategory.Name)]
public sealed partial class FlowerCommandTests
{
    /// <summary>Flower 2.0's options.</summary>
    private static readonly HashSet<string> DocumentedOptions =
    [
        "port", "address", "unix_socket", "debug", "inspect_timeout", "auth", "basic_auth", "oauth2_key", "oauth2_secret",
        "oauth2_redirect_uri", "max_workers", "max_tasks", "db", "persistent", "state_save_interval", "broker_api", "ca_certs",
        "certfile", "keyfile", "xheaders", "auto_refresh", "purge_offline_workers", "cookie_secret", "conf", "enable_events",
        "format_task", "natural_time", "tasks_columns", "auth_provider", "url_prefix", "task_runtime_metric_buckets",
    ];

    private const string HealthEndpoint = "/healthcheck";

    public static IEnumerable<string> SamplesWithFlower => OfflineRender.Samples.Where(s => OfflineRender.Sample(s).Spec.Flower?.Enabled ?? true);

    [TestCaseSource(nameof(SamplesWithFlower))]
    public void CommandUsesDocumentedFlowerOptions(string sample)
    {
        var rendered = OfflineRender.Sample(sample);
        var container = rendered.FlowerContainer();
        var args = container.Args.ToList();
        var flowerAt = args.IndexOf("flower");
        Assert.That(flowerAt, Is.GreaterThan(0), "celery ... flower");
        var options = args[(flowerAt + 1)..].Select(a => OptionPattern().Match(a)).ToList();
        var port = container.Ports.Single(p => p.Name == FlowerDeploymentBuilder.PortName);
        Assert.Multiple(() =>
        {
            Assert.That(container.Command, Is.EqualTo(new[] { "celery" }));
            Assert.That(args[..flowerAt], Has.All.StartsWith("--app="), "only Celery's global --app precedes the sub-command");
            foreach (var option in options)
            {
                Assert.That(option.Success, Is.True, $"'{option.Value}': Tornado options are written --name=value");
                Assert.That(DocumentedOptions, Does.Contain(option.Groups["name"].Value), "a documented Flower option");
            }

            Assert.That(Value(options, "port"), Is.EqualTo(port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), "Flower listens on the container port");
            foreach (var variable in (container.Env ?? []).Where(e => e.Name.StartsWith("FLOWER_", StringComparison.Ordinal)))
            {
                Assert.That(DocumentedOptions, Does.Contain(variable.Name["FLOWER_".Length..].ToLowerInvariant()), $"{variable.Name} names a documented option");
            }
        });
    }

    [TestCaseSource(nameof(SamplesWithFlower))]
    public void ProbesUseTheHealthEndpointUnderTheUrlPrefix(string sample)
    {
        var rendered = OfflineRender.Sample(sample);
        var container = rendered.FlowerContainer();
        var prefix = Value(container.Args.Select(a => OptionPattern().Match(a)).ToList(), "url_prefix");
        var expectedPath = prefix is null ? HealthEndpoint : "/" + prefix.Trim('/') + HealthEndpoint;
        Assert.Multiple(() =>
        {
            foreach (var (name, probe) in new[] { ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) })
            {
                Assert.That(probe?.HttpGet?.Path, Is.EqualTo(expectedPath), $"{name} probe path");
                Assert.That(probe?.HttpGet?.Port?.Value, Is.EqualTo(FlowerDeploymentBuilder.PortName), $"{name} probe port");
                // /healthcheck needs no credentials, so basic auth (FLOWER_BASIC_AUTH) does not fail the probe.
                Assert.That(probe?.HttpGet?.HttpHeaders, Is.Null.Or.Empty, $"{name} probe sends no credentials");
            }
        });
    }

    private static string? Value(IEnumerable<Match> options, string name) =>
        options.Where(o => o.Success && o.Groups["name"].Value == name).Select(o => o.Groups["value"].Value).SingleOrDefault();

    [GeneratedRegex("^--(?<name>[a-z][a-z0-9_]*)=(?<value>.*)$")]
    private static partial Regex OptionPattern();
}
