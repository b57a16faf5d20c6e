using k8s.Models;
using Operator.Celery.Model;
using Operator.Celery.Scaling;

namespace Operator.Tests.Celery.Scaling;

/// <summary>
/// How the builtin scaler decides a group's replica count from its backlog, as the HorizontalPodAutoscaler controller
/// does with a behavior: the recommendation ceil(backlog / targetPerReplica) within the bounds, the stabilization
/// windows, the rate policies and their selection, plus activation from and scale to zero. Each row is one decision:
/// the spec, the current count, the backlog and the history in, the count out. Times are seconds before "now".
/// </summary>
public sealed class ScaleDecisionSpecification
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One decision: the group's autoscaling spec, the Deployment's count, the backlog, the history.</summary>
    public sealed record Row(AutoscalingSpec Spec, int Current, long Backlog, ScaleHistory History, int Expected);

    private static AutoscalingSpec Spec(int min = 1, int max = 10, int target = 5, int? activation = null, V2HorizontalPodAutoscalerBehavior? behavior = null) => new()
    {
        MinReplicas = min,
        MaxReplicas = max,
        QueueLength = new QueueLengthTarget { TargetPerReplica = target, ActivationThreshold = activation, Engine = QueueLengthTarget.BuiltinEngine },
        Behavior = behavior,
    };

    private static ScaleHistory History(IEnumerable<(int SecondsAgo, int Replicas)>? recommendations = null, IEnumerable<(int SecondsAgo, int Delta)>? changes = null) => new(
        [.. (recommendations ?? []).Select(r => new TimedRecommendation(Now.AddSeconds(-r.SecondsAgo), r.Replicas))],
        [.. (changes ?? []).Select(c => new TimedChange(Now.AddSeconds(-c.SecondsAgo), c.Delta))]);

    private static V2HPAScalingPolicy Policy(string type, int value, int period) => new() { Type = type, Value = value, PeriodSeconds = period };

    private static V2HorizontalPodAutoscalerBehavior ScaleUp(int? window = null, string? select = null, params V2HPAScalingPolicy[] policies) =>
        new() { ScaleUp = new V2HPAScalingRules { StabilizationWindowSeconds = window, SelectPolicy = select, Policies = policies.Length > 0 ? policies : null } };

    private static V2HorizontalPodAutoscalerBehavior ScaleDown(int? window = null, string? select = null, params V2HPAScalingPolicy[] policies) =>
        new() { ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = window, SelectPolicy = select, Policies = policies.Length > 0 ? policies : null } };

    private static TestCaseData Case(string name, AutoscalingSpec spec, int current, long backlog, ScaleHistory history, int expected) =>
        new TestCaseData(new Row(spec, current, backlog, history, expected)).SetName(name);

    private static IEnumerable<TestCaseData> Decisions()
    {
        var settled = History([(400, 1)]);
        yield return Case("an empty queue keeps minReplicas", Spec(), 1, 0, settled, 1);
        yield return Case("the backlog recommends ceil(backlog / targetPerReplica)", Spec(), 1, 12, settled, 3);
        yield return Case("maxReplicas bounds the recommendation", Spec(max: 10), 10, 1000, History([(400, 10)]), 10);
        yield return Case("a burst is limited by the default scale-up policies: +4 pods or +100% per 15s, whichever is more", Spec(max: 50, target: 1), 2, 100, settled, 6);
        yield return Case("+100% beats +4 pods once the group is larger", Spec(max: 50, target: 1), 10, 100, History([(400, 10)]), 20);
        yield return Case("changes made within a policy's period count against it", Spec(max: 50, target: 1), 6, 100, History([(400, 2)], [(5, 4)]), 6);
        yield return Case("changes older than the period no longer limit", Spec(max: 50, target: 1), 6, 100, History([(400, 2)], [(20, 4)]), 12);
        yield return Case("selectPolicy Min takes the smallest allowance", Spec(max: 50, target: 1, behavior: ScaleUp(select: "Min")), 2, 100, settled, 4);
        yield return Case("selectPolicy Disabled does not scale up", Spec(max: 50, target: 1, behavior: ScaleUp(select: "Disabled")), 2, 100, settled, 2);
        yield return Case("a scale-up Pods policy set replaces the defaults", Spec(max: 50, target: 1, behavior: ScaleUp(policies: Policy("Pods", 1, 60))), 2, 100, settled, 3);
        yield return Case("a scale-up window holds the lowest recommendation within it", Spec(behavior: ScaleUp(window: 60)), 2, 50, History([(30, 2)]), 2);
        yield return Case("a scale-up window ignores recommendations older than it", Spec(behavior: ScaleUp(window: 60)), 2, 50, History([(90, 2)]), 6);
        yield return Case("a scale-down waits for the 300s default stabilization window", Spec(), 5, 0, History([(100, 5)]), 5);
        yield return Case("a scale-down happens once the window has passed", Spec(), 5, 0, History([(301, 5)]), 1);
        yield return Case("the scale-down window holds the highest recommendation within it", Spec(), 5, 0, History([(400, 8), (200, 4), (100, 3)]), 4);
        yield return Case("an empty history counts as the current count recommended now", Spec(), 5, 0, ScaleHistory.Empty, 5);
        yield return Case("a scale-down Pods policy limits the step", Spec(behavior: ScaleDown(window: 0, policies: Policy("Pods", 1, 60))), 5, 0, ScaleHistory.Empty, 4);
        yield return Case("a scale-down Percent policy rounds the allowed count down", Spec(behavior: ScaleDown(window: 0, policies: Policy("Percent", 50, 15))), 5, 0, ScaleHistory.Empty, 2);
        yield return Case("scale-down changes within the period count against the policy", Spec(behavior: ScaleDown(window: 0, policies: Policy("Pods", 2, 60))), 4, 0, History(changes: [(30, -1)]), 3);
        yield return Case("scale-down selectPolicy Min takes the smallest allowance", Spec(behavior: ScaleDown(window: 0, select: "Min", policies: [Policy("Pods", 1, 15), Policy("Percent", 50, 15)])), 6, 0, ScaleHistory.Empty, 5);
        yield return Case("scale-down selectPolicy Disabled does not scale down", Spec(behavior: ScaleDown(window: 0, select: "Disabled")), 6, 0, ScaleHistory.Empty, 6);
        yield return Case("at zero, a backlog at the activation threshold stays at zero", Spec(min: 0, activation: 3), 0, 3, ScaleHistory.Empty, 0);
        yield return Case("at zero, a backlog above the activation threshold activates the group", Spec(min: 0, activation: 3), 0, 4, ScaleHistory.Empty, 1);
        yield return Case("activation from zero allows one replica when the policies are only percentages", Spec(min: 0, behavior: ScaleUp(policies: Policy("Percent", 100, 15))), 0, 50, ScaleHistory.Empty, 1);
        yield return Case("activation from zero follows the Pods policy beyond one", Spec(min: 0), 0, 50, ScaleHistory.Empty, 4);
        yield return Case("minReplicas 0 and an empty queue scale to zero after the window", Spec(min: 0), 2, 0, History([(301, 2)]), 0);
        yield return Case("minReplicas 0 and an empty queue wait within the window", Spec(min: 0), 2, 0, History([(100, 2)]), 2);
        yield return Case("a backlog at or below the activation threshold counts as idle", Spec(min: 0, activation: 5), 1, 3, History([(301, 1)]), 0);
        yield return Case("a Deployment above maxReplicas is brought down to it", Spec(max: 3), 8, 100, History([(400, 8)]), 3);
    }

    [TestCaseSource(nameof(Decisions))]
    public void DecidesTheReplicaCount(Row row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var outcome = ScaleDecision.Decide(ScaleTarget.Of(row.Spec), row.Current, row.Backlog, row.History, Now);
        Assert.That(outcome.Replicas, Is.EqualTo(row.Expected), outcome.Message);
    }

    [Test]
    public void TheHistoryKeepsTheRecommendationAndTheChangeOnlyOnceWritten()
    {
        var outcome = ScaleDecision.Decide(ScaleTarget.Of(Spec()), 1, 12, History([(400, 1), (100, 1)]), Now);
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Recommended, Is.EqualTo(3));
            Assert.That(outcome.History.Recommendations, Is.EqualTo(new[] { new TimedRecommendation(Now.AddSeconds(-100), 1), new TimedRecommendation(Now, 3) }),
                "recommendations older than the longest window are dropped, this one is added");
            Assert.That(outcome.History.Changes, Is.EqualTo(new[] { new TimedChange(Now, 2) }));
            Assert.That(outcome.Unapplied.Changes, Is.Empty, "a change that was not written does not count against the policies");
            Assert.That(outcome.Message, Does.StartWith("backlog 12 at 5 per replica recommends 3"));
        });
    }

    [Test]
    public void TheMessageSaysWhatHeldTheCount()
    {
        var held = ScaleDecision.Decide(ScaleTarget.Of(Spec()), 5, 0, History([(100, 5)]), Now);
        var limited = ScaleDecision.Decide(ScaleTarget.Of(Spec(max: 50, target: 1)), 2, 100, History([(400, 2)]), Now);
        Assert.Multiple(() =>
        {
            Assert.That(held.Message, Does.Contain("scale-down stabilization window (300s) holds 5"));
            Assert.That(held.Change, Is.Null);
            Assert.That(limited.Message, Does.Contain("scale-up policies allow 6 now"));
        });
    }

    [Test]
    public void AScaleInThroughTheWindowDrainsInSteps()
    {
        // Ten passes 15 s apart with an empty queue after a burst: the count stays for 300 s, then falls to the minimum.
        var target = ScaleTarget.Of(Spec(min: 0));
        var history = History([(0, 4)]);
        var current = 4;
        var counts = new List<int>();
        for (var pass = 1; pass <= 25; pass++)
        {
            var outcome = ScaleDecision.Decide(target, current, 0, history, Now.AddSeconds(15 * pass));
            history = outcome.History;
            current = outcome.Replicas;
            counts.Add(current);
        }

        Assert.That(counts.IndexOf(0), Is.EqualTo(19), "pass 20: the recommendation of 4 is then 300 s old and out of the window");
    }
}
