using Operator.Runtime.Metrics;

namespace Operator.Runtime.Queue;

/// <summary>
/// A <see cref="DelayingQueue{T}"/> whose <see cref="AddRateLimited"/> delay comes from an
/// <see cref="IRateLimiter{T}"/>. There is deliberately no retry limit: an item that keeps failing keeps being
/// retried at the limiter's maximum delay until it succeeds and is forgotten.
/// </summary>
public sealed class RateLimitingQueue<T> : IRateLimitingQueue<T>, IDisposable
    where T : class
{
    private readonly DelayingQueue<T> queue;
    private readonly IRateLimiter<T> limiter;

    public RateLimitingQueue(string name, IRateLimiter<T> limiter, TimeProvider? timeProvider = null, RuntimeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        this.limiter = limiter;
        queue = new DelayingQueue<T>(name, timeProvider, metrics);
    }

    public string Name => queue.Name;

    public int Length => queue.Length;

    public bool ShuttingDown => queue.ShuttingDown;

    /// <summary>Items waiting for their delay (a retry's backoff or a requeue-after) to pass.</summary>
    public int Waiting => queue.Waiting;

    public void Add(T item) => queue.Add(item);

    public void Add(T item, WorkPriority priority) => queue.Add(item, priority);

    public void AddAfter(T item, TimeSpan delay) => queue.AddAfter(item, delay);

    public void AddRateLimited(T item) => queue.AddAfter(item, limiter.When(item));

    public void Forget(T item) => limiter.Forget(item);

    public int NumRequeues(T item) => limiter.NumRequeues(item);

    public ValueTask<T?> GetAsync(CancellationToken cancellationToken) => queue.GetAsync(cancellationToken);

    public void Done(T item) => queue.Done(item);

    public void ShutDown() => queue.ShutDown();

    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken) => queue.ShutDownWithDrainAsync(cancellationToken);

    public void Dispose() => queue.Dispose();
}
