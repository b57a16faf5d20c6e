// The chart cannot read files outside its directory, so it carries copies of the generated CRD, the dashboard
// and the alert rules. These tests keep each copy equal to its source (scripts/check-manifests.sh does too).
namespace Operator.IntegrationTests.Packaging;

public sealed class ChartCopiesTests
{
    private const string Files = "deploy/helm/celery-operator/files";

    [Test]
    public void TheChartCrdIsTheGeneratedCrd() =>
        Assert.That(Read($"{Files}/crds/celeryproject.org_celeries.yaml"), Is.EqualTo(Read("deploy/crds/celeryproject.org_celeries.yaml")),
            "copy deploy/crds/celeryproject.org_celeries.yaml into the chart's files/crds/");

    [Test]
    public void TheChartDashboardIsTheShippedDashboard() =>
        Assert.That(Read($"{Files}/grafana-dashboard.json"), Is.EqualTo(Read("deploy/monitoring/grafana-dashboard.json")));

    [Test]
    public void TheChartAlertsAreTheShippedRuleSpec()
    {
        var rule = Read("deploy/monitoring/prometheus-rule.yaml").Split('\n');
        var spec = rule.SkipWhile(l => l != "spec:").Skip(1).Select(l => l.StartsWith("  ", StringComparison.Ordinal) ? l[2..] : l);
        var copy = Read($"{Files}/alerts.yaml").Split('\n').Where(l => !l.StartsWith('#'));
        Assert.That(copy, Is.EqualTo(spec));
    }

    [Test]
    public void TheDashboardQueriesOnlyMetricsTheOperatorExports()
    {
        var exported = new[]
        {
            "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds_bucket",
            "controller_runtime_active_workers", "controller_runtime_max_concurrent_reconciles", "workqueue_depth", "workqueue_queue_duration_seconds_bucket", "workqueue_queue_duration_seconds_count",
            "workqueue_retries_total", "workqueue_longest_running_processor_seconds", "celery_operator_watch_restarts_total", "celery_operator_relists_total",
            "celery_operator_api_requests_total", "celery_operator_leader_is_leader", "celery_operator_informer_synced",
        };
        var used = System.Text.RegularExpressions.Regex.Matches(Read("deploy/monitoring/grafana-dashboard.json") + Read("deploy/monitoring/prometheus-rule.yaml"),
            @"\b(?:controller_runtime|workqueue|celery_operator)_[a-z_]+\b").Select(m => m.Value).Distinct();
        Assert.That(used, Is.SubsetOf(exported));
    }

    private static string Read(string relative) => File.ReadAllText(RepositoryRoot.File(relative));
}
