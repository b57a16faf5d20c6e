using Operator.Runtime;
using Operator.Runtime.Reconcile;

namespace Operator.IntegrationTests.Hosting;

public sealed class OperatorHostTests : FakeApiHostTest
{
    private static readonly (string Metric, string Series)[] RequiredMetrics =
    [
        ("controller_runtime_reconcile_total", "controller_runtime_reconcile_total"),
        ("controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_errors_total"),
        ("controller_runtime_reconcile_time_seconds", "controller_runtime_reconcile_time_seconds_bucket"),
        ("controller_runtime_max_concurrent_reconciles", "controller_runtime_max_concurrent_reconciles"),
        ("controller_runtime_active_workers", "controller_runtime_active_workers"),
        ("workqueue_depth", "workqueue_depth"),
        ("workqueue_adds_total", "workqueue_adds_total"),
        ("workqueue_queue_duration_seconds", "workqueue_queue_duration_seconds_bucket"),
        ("workqueue_work_duration_seconds", "workqueue_work_duration_seconds_bucket"),
        ("workqueue_retries_total", "workqueue_retries_total"),
        ("workqueue_unfinished_work_seconds", "workqueue_unfinished_work_seconds"),
        ("workqueue_longest_running_processor_seconds", "workqueue_longest_running_processor_seconds"),
        ("celery_operator_watch_restarts_total", "celery_operator_watch_restarts_total"),
        ("celery_operator_relists_total", "celery_operator_relists_total"),
        ("celery_operator_api_requests_total", "celery_operator_api_requests_total"),
        ("celery_operator_informer_synced", "celery_operator_informer_synced"),
        ("celery_operator_leader_is_leader", "celery_operator_leader_is_leader"),
    ];

    [Test]
    public async Task ProbesFollowSyncAndLeadershipAndMetricsUseControllerRuntimeNames()
    {
        Api.ConfigMaps.HoldLists();
        Api.ConfigMaps.Apply("default", "one", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        Api.ConfigMaps.Apply("default", "flaky", new Dictionary<string, string> { ["a"] = "1" });
        var failures = 0;
        await using var host = await TestOperator.StartAsync(Api, Timeline, "a", module => module.Behaviour = (key, _) =>
            key.Name == "flaky" && Interlocked.Increment(ref failures) == 1
                ? throw new InvalidOperationException("first attempt fails")
                : Task.FromResult(ReconcileResult.Success()));

        Assert.That(await host.GetAsync("/healthz"), Is.EqualTo((200, "ok")));
        var notReady = await host.GetAsync("/readyz");
        Assert.That(notReady.Code, Is.EqualTo(503));
        Assert.That(notReady.Body, Does.Contain("configmaps"));

        Api.ConfigMaps.ReleaseLists();
        await Eventually.TrueAsync(async () => await host.GetAsync("/readyz") == (200, "leader"), "the host is ready as leader");
        await Eventually.TrueAsync(() => host.Module.Reconciles.ContainsKey(new ObjectKey("default", "one")), "the ConfigMap is reconciled");
        Assert.That(host.Module.DataKeys[new ObjectKey("default", "one")], Is.EqualTo(2));
        await Eventually.TrueAsync(() => host.Module.Reconciles.GetValueOrDefault(new ObjectKey("default", "flaky")) >= 2, "the failed reconcile is retried");

        PrometheusScrape scrape = null!;
        await Eventually.TrueAsync(
            async () =>
            {
                var (code, body) = await host.GetAsync("/metrics");
                Assert.That(code, Is.EqualTo(200));
                scrape = PrometheusScrape.Parse(body);
                return RequiredMetrics.All(m => scrape.Names.Contains(m.Series))
                    && scrape.Find("celery_operator_watch_restarts_total", ("resource", "configmaps"), ("reason", "closed")).Any(s => s.Value >= 1);
            },
            "every metric is exported and the fake API has ended a watch");

        foreach (var result in new[] { "success", "error", "requeue", "requeue_after" })
        {
            Assert.That(scrape.Find("controller_runtime_reconcile_total", ("controller", "configmaps"), ("result", result)).Count(), Is.EqualTo(1), $"result {result} is pre-set");
        }

        Assert.That(scrape.Find("controller_runtime_reconcile_total", ("controller", "configmaps"), ("result", "requeue_after")).Single().Value, Is.Zero);
        Assert.That(scrape.Find("controller_runtime_reconcile_total", ("controller", "configmaps"), ("result", "success")).Single().Value, Is.GreaterThanOrEqualTo(2));
        Assert.That(scrape.Find("controller_runtime_reconcile_errors_total", ("controller", "configmaps")).Single().Value, Is.EqualTo(1));
        Assert.That(scrape.Find("controller_runtime_max_concurrent_reconciles", ("controller", "configmaps")).Single().Value, Is.EqualTo(1));
        Assert.That(scrape.Find("workqueue_depth", ("name", "configmaps"), ("controller", "configmaps")).Count(), Is.EqualTo(1));
        Assert.That(scrape.Find("workqueue_retries_total", ("name", "configmaps"), ("controller", "configmaps")).Single().Value, Is.GreaterThanOrEqualTo(1));
        Assert.That(scrape.Find("celery_operator_relists_total", ("resource", "configmaps"), ("reason", "initial")).Single().Value, Is.EqualTo(1));
        Assert.That(scrape.Find("celery_operator_watch_restarts_total", ("resource", "configmaps"), ("reason", "closed")).Single().Value, Is.GreaterThanOrEqualTo(1));
        Assert.That(scrape.Find("celery_operator_api_requests_total", ("verb", "LIST"), ("code", "200")).Single().Value, Is.GreaterThanOrEqualTo(1));
        Assert.That(scrape.Find("celery_operator_informer_synced", ("resource", "configmaps")).Single().Value, Is.EqualTo(1));
        Assert.That(scrape.Find("celery_operator_leader_is_leader").Single().Value, Is.EqualTo(1));
        Assert.That(scrape.Samples.SelectMany(s => s.Labels.Keys), Has.None.StartsWith("otel_"), "no scope labels");
        Assert.That(scrape.Names, Has.None.Matches("_total_total$|_seconds_seconds"), "no doubled suffixes");
    }

    [Test]
    public async Task WithoutElectionTheHostLeadsAtOnceAndWritesNoLease()
    {
        Api.ConfigMaps.Apply("default", "one", new Dictionary<string, string> { ["a"] = "1" });
        await using var host = await TestOperator.StartAsync(Api, Timeline, "solo", extraArgs: "--Operator:LeaderElection:Enabled=false");

        await Eventually.TrueAsync(async () => await host.GetAsync("/readyz") == (200, "leader"), "the host leads without a lease");
        await Eventually.TrueAsync(() => host.Module.Reconciles.ContainsKey(new ObjectKey("default", "one")), "the ConfigMap is reconciled");
        Assert.That(Api.Leases.Holders(), Is.Empty);
    }
}
