using Microsoft.Extensions.Time.Testing;
using Operator.Runtime.Queue;

namespace Operator.Tests.Runtime;

public sealed class DelayingQueueTests
{
    private sealed record Item(string Name);

    [Test]
    public void AddAfterAddsOnlyOnceTheDelayHasPassed()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingQueue<Item>("test", time);
        queue.AddAfter(new Item("a"), TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(queue.Length, Is.Zero);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(queue.Length, Is.EqualTo(1));
        Assert.That(queue.Waiting, Is.Zero);
    }

    [Test]
    public void AddAfterKeepsTheEarliestTime()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingQueue<Item>("test", time);
        queue.AddAfter(new Item("a"), TimeSpan.FromSeconds(30));
        queue.AddAfter(new Item("a"), TimeSpan.FromSeconds(5));
        queue.AddAfter(new Item("a"), TimeSpan.FromSeconds(60));
        Assert.That(queue.Waiting, Is.EqualTo(1));

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.That(queue.Length, Is.EqualTo(1), "the earliest of the three times wins");
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.That(queue.Length, Is.EqualTo(1), "superseded schedules do not add the item again");
    }

    [Test]
    public async Task ItemsBecomeReadyInTimeOrder()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingQueue<Item>("test", time);
        queue.AddAfter(new Item("late"), TimeSpan.FromSeconds(20));
        queue.AddAfter(new Item("early"), TimeSpan.FromSeconds(10));
        queue.AddAfter(new Item("now"), TimeSpan.Zero);

        Assert.That(await queue.GetAsync(CancellationToken.None), Is.EqualTo(new Item("now")));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await queue.GetAsync(CancellationToken.None), Is.EqualTo(new Item("early")));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await queue.GetAsync(CancellationToken.None), Is.EqualTo(new Item("late")));
    }

    [Test]
    public void ShutDownDropsWaitingItems()
    {
        var time = new FakeTimeProvider();
        using var queue = new DelayingQueue<Item>("test", time);
        queue.AddAfter(new Item("a"), TimeSpan.FromSeconds(1));
        queue.ShutDown();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.That(queue.Length, Is.Zero);
        Assert.That(queue.Waiting, Is.Zero);
    }
}
