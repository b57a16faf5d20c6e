// The shipped alerts under promtool: they load, and each one's unit tests (Monitoring/alert-rules-test.yaml) show
// it firing when it should and staying quiet when it should not. The chart's files/alerts.yaml is the rule file:
// it is the PrometheusRule's spec, and scripts/check-manifests.sh keeps the two equal.
using System.Text.RegularExpressions;
using Operator.IntegrationTests.Conformance;

namespace Operator.IntegrationTests.Monitoring;

public sealed partial class AlertRuleTests
{
    private static readonly string RuleFile = Path.Combine(RepositoryRoot.Path, "deploy", "helm", "celery-operator", "files", "alerts.yaml");
    private static readonly string UnitTests = Path.Combine(AppContext.BaseDirectory, "Monitoring", "alert-rules-test.yaml");

    [Test]
    public async Task EveryAlertPassesItsPromtoolUnitTests()
    {
        LocalPrograms.RequirePrometheus();
        var check = await RunPromtoolAsync("check", "rules", RuleFile);
        Assert.That(check.Succeeded, Is.True, check.ToString());

        var directory = Directory.CreateTempSubdirectory("alert-tests-").FullName;
        try
        {
            var tests = Path.Combine(directory, "alert-rules-test.yaml");
            await File.WriteAllTextAsync(tests, $"rule_files: [\"{RuleFile}\"]\n" + await File.ReadAllTextAsync(UnitTests));
            var result = await RunPromtoolAsync("test", "rules", tests);
            Assert.That(result.Succeeded, Is.True, result.ToString());
            Assert.That(result.Output, Does.Contain("SUCCESS"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task EveryAlertHasATestWhereItFires()
    {
        var alerts = AlertName().Matches(await File.ReadAllTextAsync(RuleFile)).Select(m => m.Groups["name"].Value).ToList();
        var tests = await File.ReadAllTextAsync(UnitTests);
        var firing = FiringTest().Matches(tests).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.That(alerts, Has.Count.EqualTo(10));
        Assert.That(alerts.Where(a => !firing.Contains(a)), Is.Empty, "alerts without a test that expects them to fire");
    }

    private static Task<CommandResult> RunPromtoolAsync(params string[] arguments) =>
        LocalProcess.RunAsync(LocalPrograms.Promtool, arguments, new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(60), CancellationToken.None);

    [GeneratedRegex(@"^\s*- alert: (?<name>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertName();

    // An alert_rule_test entry whose exp_alerts is not empty.
    [GeneratedRegex(@"alertname: (?<name>\w+)\s*\n\s*exp_alerts:\s*\n", RegexOptions.Multiline)]
    private static partial Regex FiringTest();
}
