using System.Collections.Concurrent;
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

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.That(async () => await queue.GetAsync(cts.Token), Throws.InstanceOf<OperationCanceledException>());

        queue.Done(held!);
        Assert.That(queue.Length, Is.EqualTo(1));
        var again = await queue.GetAsync(CancellationToken.None);
        Assert.That(again, Is.EqualTo(new Item(1)));
        queue.Done(again!);
        Assert.That(queue.Length, Is.Zero, "the re-add runs exactly once");
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
}
