// Scenario 3: the operator process is killed with SIGKILL twice while a fleet converges, and restarted each time.
// The last incarnation must converge the fleet without creating any child twice and without writing any child
// that was already right when it started (counted per child from the audit log: each incarnation is its own
// emulator user).
using System.Diagnostics;

namespace Operator.IntegrationTests.Chaos;

[Category("Chaos")]
public sealed class CrashRestartTests
{
    [Test]
    public async Task KilledTwiceMidConvergenceTheOperatorConvergesWithoutDuplicatesOrRewrites()
    {
        var resources = ChaosScale.ProcessResources;
        await using var cluster = await ProcessCluster.StartAsync(resources);
        // Slow every request so each incarnation dies with work left.
        cluster.Cluster.Session.Emulator.Faults.SetLatency(TimeSpan.FromMilliseconds(30));
        var kills = 0;
        foreach (var user in new[] { "operator-1", "operator-2" })
        {
            var process = cluster.StartOperator(user);
            await cluster.WaitForHolderAsync(user, ProcessCluster.StartupTimeout);
            var target = resources / 3;
            await Eventually.GetAsync(() => Task.FromResult(cluster.ChildWritesBy(user).Count), n => n >= target, TimeSpan.FromSeconds(60), $"{user} wrote {target} children");
            await process.KillAsync();
            kills++;
        }

        cluster.Cluster.Session.Emulator.Faults.Clear();
        var atRestart = await new ConvergenceCheck(cluster.Client).RunAsync();
        Assert.That(atRestart.Converged, Is.False, "the kills landed before convergence");
        var stopped = Stopwatch.StartNew();
        var last = cluster.StartOperator("operator-3");

        var figures = await ConvergenceVerdict.AssertAsync(new ConvergenceCheck(cluster.Client), last.ScrapeAsync, () => [], stopped, TimeSpan.FromSeconds(90));
        cluster.AssertWritersNeverOverlap("operator-1", "operator-2", "operator-3");
        cluster.AssertNoChildCreatedTwice();
        var rewritten = cluster.ChildWritesBy("operator-3")
            .Select(e => (e.Resource, Key: $"{e.Namespace}/{e.Name}"))
            .Where(w => atRestart.Satisfied.Any(s => s.EndsWith("/" + w.Key, StringComparison.Ordinal) && KindOf(s) == w.Resource))
            .ToList();
        Assert.That(rewritten, Is.Empty, "children already right at restart were not written again");
        Assert.That(last.HasExited, Is.False, last.RecentLog);
        TestContext.Out.WriteLine($"crash: {resources} resources, {kills} SIGKILLs; at restart {atRestart.Satisfied.Count} of {figures.Report.Children} children already right, {atRestart.Problems.Count} problems; last incarnation wrote {cluster.ChildWritesBy("operator-3").Count} children; {figures}");
    }

    private static string KindOf(string childKey) => childKey[..childKey.IndexOf('/', StringComparison.Ordinal)] switch
    {
        "Deployment" => "deployments",
        "Service" => "services",
        "Ingress" => "ingresses",
        "PodDisruptionBudget" => "poddisruptionbudgets",
        "HorizontalPodAutoscaler" => "horizontalpodautoscalers",
        _ => "secrets",
    };
}
