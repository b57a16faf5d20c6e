namespace Operator.Runtime.Queue;

/// <summary>A delaying queue whose retries are paced by a rate limiter. Items are never dropped for failing often.</summary>
public interface IRateLimitingQueue<T> : IDelayingQueue<T>
    where T : class
{
    /// <summary>Adds <paramref name="item"/> after the limiter's delay for it.</summary>
    void AddRateLimited(T item);

    /// <summary>Clears the item's retry history; call after it was processed successfully.</summary>
    void Forget(T item);

    int NumRequeues(T item);
}
