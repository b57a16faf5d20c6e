using Operator.Runtime.Metrics;

namespace Operator.Runtime.Queue;

/// <summary>
/// Adds items to an inner <see cref="WorkQueue{T}"/> when their delay has passed, timed by a
/// <see cref="TimeProvider"/> timer (so tests can drive it with a fake clock).
/// Invariants, kept under <c>gate</c>:
/// <list type="number">
/// <item>An item waits at most once; a second <see cref="AddAfter"/> keeps the earlier ready time.</item>
/// <item>The timer is always due at (or before) the earliest ready time, so no waiting item is late by more than
/// the timer's resolution.</item>
/// <item>After shut down nothing waits and the timer is disposed.</item>
/// </list>
/// </summary>
public sealed class DelayingQueue<T> : IDelayingQueue<T>, IDisposable
    where T : class
{
    private readonly Lock gate = new();
    private readonly WorkQueue<T> queue;
    private readonly TimeProvider time;
    private readonly Dictionary<T, DateTimeOffset> readyAt = [];
    private readonly PriorityQueue<T, DateTimeOffset> schedule = new();
    private readonly ITimer timer;
    private readonly IWorkQueueMetrics metrics;
    private DateTimeOffset timerDue = DateTimeOffset.MaxValue;

    public DelayingQueue(string name, TimeProvider? timeProvider = null, RuntimeMetrics? metrics = null)
    {
        time = timeProvider ?? TimeProvider.System;
        IWorkQueueMetrics events = NullWorkQueueMetrics.Instance;
        queue = new WorkQueue<T>(name, time, metrics is null ? null : status => events = metrics.ForQueue(status));
        this.metrics = events;
        timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name => queue.Name;

    public int Length => queue.Length;

    public bool ShuttingDown => queue.ShuttingDown;

    /// <summary>Items waiting for their delay to pass.</summary>
    public int Waiting
    {
        get
        {
            lock (gate)
            {
                return readyAt.Count;
            }
        }
    }

    public void Add(T item) => queue.Add(item);

    public void Add(T item, WorkPriority priority) => queue.Add(item, priority);

    public void AddAfter(T item, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (ShuttingDown)
        {
            return;
        }

        metrics.Retried();
        if (delay <= TimeSpan.Zero)
        {
            queue.Add(item);
            return;
        }

        lock (gate)
        {
            if (ShuttingDown)
            {
                return;
            }

            var when = time.GetUtcNow() + delay;
            if (readyAt.TryGetValue(item, out var existing) && existing <= when)
            {
                return;
            }

            readyAt[item] = when;
            schedule.Enqueue(item, when);
            if (when < timerDue)
            {
                Arm(when);
            }
        }
    }

    public ValueTask<T?> GetAsync(CancellationToken cancellationToken) => queue.GetAsync(cancellationToken);

    public void Done(T item) => queue.Done(item);

    public void ShutDown()
    {
        lock (gate)
        {
            readyAt.Clear();
            schedule.Clear();
            timerDue = DateTimeOffset.MaxValue;
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        queue.ShutDown();
    }

    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        return queue.ShutDownWithDrainAsync(cancellationToken);
    }

    public void Dispose()
    {
        ShutDown();
        timer.Dispose();
    }

    private void Fire()
    {
        var due = new List<T>();
        lock (gate)
        {
            var now = time.GetUtcNow();
            while (schedule.TryPeek(out var item, out var when) && when <= now)
            {
                schedule.Dequeue();
                // A stale entry is one superseded by an earlier AddAfter that already fired or was re-scheduled.
                if (readyAt.TryGetValue(item, out var current) && current == when)
                {
                    readyAt.Remove(item);
                    due.Add(item);
                }
            }

            timerDue = DateTimeOffset.MaxValue;
            if (schedule.TryPeek(out _, out var next))
            {
                Arm(next);
            }
        }

        foreach (var item in due)
        {
            queue.Add(item);
        }
    }

    private void Arm(DateTimeOffset when)
    {
        timerDue = when;
        var delay = when - time.GetUtcNow();
        timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
