using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Queue;

/// <summary>
/// A de-duplicating work queue with two priorities, FIFO within each. Workers wait on a
/// <see cref="Channel{T}"/> of tickets, one per item waiting in a lane; the lanes themselves are plain queues.
/// Invariants, all kept under <c>gate</c>:
/// <list type="number">
/// <item>An item is in <c>dirty</c> when it needs work; it is in <c>processing</c> while a worker holds it.</item>
/// <item>An item that is dirty and not processing sits in exactly one lane under its current ticket number; a lane
/// entry whose number is not the item's current one is stale and skipped when reached (an item raised to a higher
/// priority leaves one behind). So no item is handed out twice and no two workers ever hold the same item.</item>
/// <item>The channel holds one ticket per item waiting in a lane (<see cref="Length"/>), so a worker that read a
/// ticket always finds an item; it takes the oldest of the highest priority.</item>
/// <item>Adding an item that is already dirty at the same or a higher priority does nothing (adds collapse); at a
/// higher priority it moves the item to the higher lane, without a second ticket.</item>
/// <item>Adding an item while it is processing only marks it dirty (keeping the highest priority asked for);
/// <see cref="Done"/> then puts it in that lane, so it runs again exactly once, after the current run.</item>
/// <item>After <see cref="ShutDown"/> no item is handed out or accepted; held items can still be marked done,
/// and <see cref="ShutDownWithDrainAsync"/> completes when none is held.</item>
/// </list>
/// </summary>
public sealed class WorkQueue<T> : IWorkQueue<T>, IWorkQueueStatus
    where T : class
{
    private readonly Lock gate = new();
    private readonly Channel<bool> tickets = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Queue<LaneEntry>[] lanes = [new(), new()];
    private readonly Dictionary<T, Pending> dirty = [];
    private readonly Dictionary<T, long> processing = [];
    private readonly CancellationTokenSource shutdown = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider time;
    private readonly IWorkQueueMetrics metrics;
    private long lastTicket;
    private int waiting;

    public WorkQueue(string name, TimeProvider? timeProvider = null, Func<IWorkQueueStatus, IWorkQueueMetrics>? metrics = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        time = timeProvider ?? TimeProvider.System;
        this.metrics = metrics?.Invoke(this) ?? NullWorkQueueMetrics.Instance;
    }

    public string Name { get; }

    public int Length => Volatile.Read(ref waiting);

    int IWorkQueueStatus.Depth => Length;

    public bool ShuttingDown => shutdown.IsCancellationRequested;

    public void Add(T item) => Add(item, WorkPriority.Normal);

    public void Add(T item, WorkPriority priority)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (priority is not (WorkPriority.Low or WorkPriority.Normal))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "Unknown work priority.");
        }

        lock (gate)
        {
            if (ShuttingDown)
            {
                return;
            }

            if (dirty.TryGetValue(item, out var pending))
            {
                if (priority > pending.Priority)
                {
                    // Held: Done enqueues it at the raised priority. Waiting: a new lane entry, the old one goes stale.
                    var ticket = processing.ContainsKey(item) ? 0 : Place(item, priority);
                    dirty[item] = pending with { Priority = priority, Ticket = ticket };
                }

                return;
            }

            metrics.Added();
            var isHeld = processing.ContainsKey(item);
            dirty[item] = new Pending(time.GetTimestamp(), priority, isHeld ? 0 : Place(item, priority));
            if (!isHeld)
            {
                Signal();
            }
        }
    }

    public async ValueTask<T?> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        try
        {
            await tickets.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }

        lock (gate)
        {
            Interlocked.Decrement(ref waiting);
            if (ShuttingDown)
            {
                return null;
            }

            var item = TakeNext();
            dirty.Remove(item, out var pending);
            var now = time.GetTimestamp();
            processing.Add(item, now);
            metrics.Started(time.GetElapsedTime(pending.AddedAt, now));
            return item;
        }
    }

    /// <summary>Yields items until the queue shuts down or <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await GetAsync(cancellationToken).ConfigureAwait(false) is { } item)
        {
            yield return item;
        }
    }

    public void Done(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (gate)
        {
            if (!processing.Remove(item, out var startedAt))
            {
                throw new InvalidOperationException($"Work queue {Name}: Done called for an item that is not being processed.");
            }

            metrics.Finished(time.GetElapsedTime(startedAt));
            if (ShuttingDown)
            {
                if (processing.Count == 0)
                {
                    drained.TrySetResult();
                }

                return;
            }

            if (dirty.TryGetValue(item, out var pending))
            {
                dirty[item] = pending with { Ticket = Place(item, pending.Priority) };
                Signal();
            }
        }
    }

    public void ShutDown()
    {
        lock (gate)
        {
            if (ShuttingDown)
            {
                return;
            }

            shutdown.Cancel();
            tickets.Writer.TryComplete();
            if (processing.Count == 0)
            {
                drained.TrySetResult();
            }
        }
    }

    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        await drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public IReadOnlyList<TimeSpan> InFlightDurations()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            return processing.Values.Select(startedAt => time.GetElapsedTime(startedAt, now)).ToList();
        }
    }

    /// <summary>Puts <paramref name="item"/> at the end of its priority's lane under a new ticket number.</summary>
    private long Place(T item, WorkPriority priority)
    {
        var ticket = ++lastTicket;
        lanes[(int)priority].Enqueue(new LaneEntry(item, ticket));
        return ticket;
    }

    private void Signal()
    {
        Interlocked.Increment(ref waiting);
        if (!tickets.Writer.TryWrite(true))
        {
            throw new InvalidOperationException($"Work queue {Name} refused an item while running.");
        }
    }

    /// <summary>The oldest current entry of the highest non-empty lane; a ticket read guarantees there is one.</summary>
    private T TakeNext()
    {
        for (var lane = lanes.Length - 1; lane >= 0; lane--)
        {
            while (lanes[lane].TryDequeue(out var entry))
            {
                if (dirty.TryGetValue(entry.Item, out var pending) && pending.Ticket == entry.Ticket)
                {
                    return entry.Item;
                }
            }
        }

        throw new InvalidOperationException($"Work queue {Name} handed out a ticket with no item waiting.");
    }

    /// <summary>A dirty item: when it was first added, the highest priority asked for, and its lane entry (0 while held).</summary>
    private readonly record struct Pending(long AddedAt, WorkPriority Priority, long Ticket);

    private readonly record struct LaneEntry(T Item, long Ticket);
}
