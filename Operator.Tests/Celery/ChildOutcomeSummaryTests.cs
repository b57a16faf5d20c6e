using Operator.Celery.Reconciliation;

using Operator.Runtime.Apply;

namespace Operator.Tests.Celery;

public sealed class ChildOutcomeSummaryTests
{
    [Test]
    public void NamesEveryChildInOrder()
    {
        var message = ChildOutcomeSummary.Describe(ChildAction.Created,
            [new ChildOutcome(ChildAction.Created, "Deployment", "a-worker"), new ChildOutcome(ChildAction.Created, "Service", "a-flower")]);

        Assert.That(message, Is.EqualTo("Created Deployment a-worker, Service a-flower"));
    }

    [Test]
    public void StaysWithinTheEventNoteLimitAndCountsWhatDidNotFit()
    {
        var outcomes = Enumerable.Range(0, 100).Select(i => new ChildOutcome(ChildAction.Updated, "Deployment", $"resource-with-a-long-name-{i:D3}")).ToList();

        var message = ChildOutcomeSummary.Describe(ChildAction.Updated, outcomes);

        Assert.That(message, Has.Length.LessThanOrEqualTo(ChildOutcomeSummary.MaxLength));
        Assert.That(message, Does.StartWith("Updated Deployment resource-with-a-long-name-000, "));
        Assert.That(message, Does.Match(@" and \d+ more$"));
    }
}
