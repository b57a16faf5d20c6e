using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Operator.Runtime.Metrics;
using Operator.Runtime.Queue;

namespace Operator.Tests.Runtime;

public sealed class WorkQueueTests
{
    private sealed record Item(int Id);

    [Test]
    public async Task AddsWhileQueuedCollapseIntoOne()
    {
        var queue = new WorkQueue<Item>("test");
        queue.Add(new Item(1));
        queue.Add(new Item(1));
        queue.Add(new Item(2));
        queue.Add(new Item(1));

        Assert.That(queue.Length, Is.EqualTo(2));
        Assert.That(await queue.GetAsync(CancellationToken.None), Is.EqualTo(new Item(1)));
        Assert.That(await queue.GetAsync(CancellationToken.None), Is.EqualTo(new Item(2)));
        Assert.That(queue.Length, Is.Zero);
    }

    [Test]
    public async Task AddWhileProcessingRunsAgainOnceAfterDone()
    {
        var queue = new WorkQueue<Item>("test");
        queue.Add(new Item(1));
        var held = await queue.GetAsync(CancellationToken.None);

        queue.Add(new Item(1));
        queue.Add(new Item(1));
        Assert.That(queue.Length, Is.Zero, "an item being processed must not be handed to another worker");

        var waiting = queue.GetAsync(CancellationToken.None).AsTask();
        Assert.That(waiting.IsCompleted, Is.False, "a worker waits while the only item is held");

        queue.Done(held!);
        var again = await waiting.WaitAsync(Eventually.DefaultTimeout);
        Assert.That(again, Is.EqualTo(new Item(1)), "the waiting worker gets the re-added item once it is done");
        queue.Done(again!);
        Assert.That(queue.Length, Is.Zero, "the re-add runs exactly once");
    }

    [Test]
    public async Task NormalItemsAreHandedOutBeforeLowOnesAndEachPriorityInOrder()
    {
        var queue = new WorkQueue<Item>("test");
        queue.Add(new Item(1), WorkPriority.Low);
        queue.Add(new Item(2), WorkPriority.Low);
        queue.Add(new Item(3));
        queue.Add(new Item(4), WorkPriority.Low);
        queue.Add(new Item(5), WorkPriority.Normal);

        Assert.That(await TakeAllAsync(queue), Is.EqualTo(new[] { 3, 5, 1, 2, 4 }));
    }

    [Test]
    public async Task AWaitingLowItemAddedAgainAtNormalIsRaisedOnceAndLeavesNothingBehind()
    {
        var queue = new WorkQueue<Item>("test");
        queue.Add(new Item(1), WorkPriority.Low);
        queue.Add(new Item(2), WorkPriority.Low);
        queue.Add(new Item(2));
        queue.Add(new Item(2));

        Assert.That(queue.Length, Is.EqualTo(2), "raising an item does not add a second one");
        Assert.That(await TakeAllAsync(queue), Is.EqualTo(new[] { 2, 1 }));

        // The raised item's old place in the low lane is stale: adding it at low again queues it behind 3, once.
        queue.Add(new Item(3), WorkPriority.Low);
        queue.Add(new Item(2), WorkPriority.Low);
        Assert.That(await TakeAllAsync(queue), Is.EqualTo(new[] { 3, 2 }));
    }

    [Test]
    public async Task AddingAtLowNeverLowersAWaitingNormalItem()
    {
        var queue = new WorkQueue<Item>("test");
        queue.Add(new Item(1), WorkPriority.Low);
        queue.Add(new Item(2));
        queue.Add(new Item(2), WorkPriority.Low);

        Assert.That(await TakeAllAsync(queue), Is.EqualTo(new[] { 2, 1 }));
    }

    [Test]
    public async Task AnItemRaisedWhileHeldRunsAgainOnceAtTheHighestPriorityAskedFor()
    {
        var queue = new WorkQueue<Item>("test");
        queue.Add(new Item(1), WorkPriority.Low);
        var held = await queue.GetAsync(CancellationToken.None);
        queue.Add(new Item(2), WorkPriority.Low);
        queue.Add(new Item(1), WorkPriority.Low);
        queue.Add(new Item(1), WorkPriority.Normal);
        Assert.That(queue.Length, Is.EqualTo(1), "the held item waits for Done, not in a lane");

        queue.Done(held!);
        Assert.That(await TakeAllAsync(queue), Is.EqualTo(new[] { 1, 2 }), "after Done it runs before the low item");
    }

    [Test]
    public void AnUnknownPriorityIsRefused()
    {
        var queue = new WorkQueue<Item>("test");
        Assert.That(() => queue.Add(new Item(1), (WorkPriority)7), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void DoneForAnItemNotHeldIsRejected()
    {
        var queue = new WorkQueue<Item>("test");
        Assert.That(() => queue.Done(new Item(1)), Throws.InvalidOperationException);
    }

    [Test]
    public async Task ConcurrentWorkersNeverHoldTheSameItemAtOnce([Values(1, 2, 3)] int seed)
    {
        var queue = new WorkQueue<Item>("test");
        var holding = new ConcurrentDictionary<int, int>();
        var overlaps = 0;
        var processed = 0;

        async Task Worker()
        {
            await foreach (var item in queue.ReadAllAsync(CancellationToken.None))
            {
                if (!holding.TryAdd(item.Id, 0))
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                if (Random.Shared.Next(3) == 0)
                {
                    await Task.Delay(1);
                }

                holding.TryRemove(item.Id, out _);
                Interlocked.Increment(ref processed);
                queue.Done(item);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)).ToList();
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            var local = new Random(seed * 10 + p);
            for (var i = 0; i < 2000; i++)
            {
                queue.Add(new Item(local.Next(10)));
                if (i % 50 == 0)
                {
                    await Task.Yield();
                }
            }
        })).ToList();
        await Task.WhenAll(producers);
        await Eventually.TrueAsync(() => queue.Length == 0 && holding.IsEmpty && queue.InFlightDurations().Count == 0, "the queue is idle");
        await queue.ShutDownWithDrainAsync(CancellationToken.None);
        await Task.WhenAll(workers);

        Assert.That(overlaps, Is.Zero);
        Assert.That(processed, Is.GreaterThanOrEqualTo(10).And.LessThanOrEqualTo(8000));
    }

    [Test]
    public async Task ShutDownStopsHandingOutAndDrainsInFlightWork()
    {
        var queue = new WorkQueue<Item>("test");
        queue.Add(new Item(1));
        queue.Add(new Item(2));
        var held = await queue.GetAsync(CancellationToken.None);

        var drain = queue.ShutDownWithDrainAsync(CancellationToken.None);
        Assert.That(await queue.GetAsync(CancellationToken.None), Is.Null, "no item is handed out after shut down");
        queue.Add(new Item(3));
        Assert.That(drain.IsCompleted, Is.False, "an item is still held");

        queue.Done(held!);
        await drain.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(queue.ShuttingDown, Is.True);
    }

    [Test]
    public async Task WaitingWorkerWakesWithNullOnShutDown()
    {
        var queue = new WorkQueue<Item>("test");
        var waiting = queue.GetAsync(CancellationToken.None).AsTask();
        queue.ShutDown();
        Assert.That(await waiting.WaitAsync(TimeSpan.FromSeconds(5)), Is.Null);
    }

    [Test]
    public async Task QueueAndWorkDurationsAreMeasuredOnTheQueuesClock()
    {
        var time = new FakeTimeProvider();
        var metrics = new RecordingQueueMetrics();
        var queue = new WorkQueue<Item>("test", time, _ => metrics);
        queue.Add(new Item(1));
        time.Advance(TimeSpan.FromSeconds(5));
        var held = await queue.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.That(queue.InFlightDurations(), Is.EqualTo(new[] { TimeSpan.FromSeconds(3) }), "in flight since a worker took it");
        queue.Done(held!);
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Queued, Is.EqualTo(new[] { TimeSpan.FromSeconds(5) }), "waited from add to get");
            Assert.That(metrics.Worked, Is.EqualTo(new[] { TimeSpan.FromSeconds(3) }), "worked from get to done");
            Assert.That(queue.InFlightDurations(), Is.Empty);
        });
    }

    private sealed class RecordingQueueMetrics : IWorkQueueMetrics
    {
        public List<TimeSpan> Queued { get; } = [];

        public List<TimeSpan> Worked { get; } = [];

        public void Added()
        {
        }

        public void Started(TimeSpan queued) => Queued.Add(queued);

        public void Finished(TimeSpan worked) => Worked.Add(worked);

        public void Retried()
        {
        }
    }

    private static async Task<List<int>> TakeAllAsync(WorkQueue<Item> queue)
    {
        var taken = new List<int>();
        while (queue.Length > 0)
        {
            var item = (await queue.GetAsync(CancellationToken.None))!;
            taken.Add(item.Id);
            queue.Done(item);
        }

        return taken;
    }
}
