using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Queue;

/// <summary>
/// A de-duplicating FIFO work queue over an unbounded <see cref="Channel{T}"/>.
/// Invariants, all kept under <c>gate</c>:
/// <list type="number">
/// <item>An item is in <c>dirty</c> when it needs work; it is in <c>processing</c> while a worker holds it.</item>
/// <item>An item is written to the channel only when it is dirty and not processing, so the channel holds each
/// item at most once and no two workers ever hold the same item.</item>
/// <item>Adding an item that is already dirty does nothing (adds collapse).</item>
/// <item>Adding an item while it is processing only marks it dirty; <see cref="Done"/> then writes it to the
/// channel, so it runs again exactly once, after the current run.</item>
/// <item>After <see cref="ShutDown"/> no item is handed out or accepted; held items can still be marked done,
/// and <see cref="ShutDownWithDrainAsync"/> completes when none is held.</item>
/// </list>
/// </summary>
public sealed class WorkQueue<T> : IWorkQueue<T>, IWorkQueueStatus
    where T : class
{
    private readonly Lock gate = new();
    private readonly Channel<T> ready = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Dictionary<T, long> dirty = [];
    private readonly Dictionary<T, long> processing = [];
    private readonly CancellationTokenSource shutdown = new();
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider time;
    private readonly IWorkQueueMetrics metrics;
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

    public void Add(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (gate)
        {
            if (ShuttingDown || dirty.ContainsKey(item))
            {
                return;
            }

            dirty[item] = time.GetTimestamp();
            metrics.Added();
            if (!processing.ContainsKey(item))
            {
                Enqueue(item);
            }
        }
    }

    public async ValueTask<T?> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        T item;
        try
        {
            item = await ready.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
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

            if (!dirty.Remove(item, out var addedAt))
            {
                throw new InvalidOperationException($"Work queue {Name} handed out an item that was not marked dirty.");
            }

            var now = time.GetTimestamp();
            processing.Add(item, now);
            metrics.Started(time.GetElapsedTime(addedAt, now));
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

            if (dirty.ContainsKey(item))
            {
                Enqueue(item);
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
            ready.Writer.TryComplete();
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

    private void Enqueue(T item)
    {
        Interlocked.Increment(ref waiting);
        if (!ready.Writer.TryWrite(item))
        {
            throw new InvalidOperationException($"Work queue {Name} refused an item while running.");
        }
    }
}
