namespace Operator.Runtime.Queue;

/// <summary>Decides how long an item waits before it is retried.</summary>
public interface IRateLimiter<in T>
{
    /// <summary>The delay before the next retry of <paramref name="item"/>; each call counts as one retry.</summary>
    TimeSpan When(T item);

    /// <summary>Forgets the item's failure history (after a success).</summary>
    void Forget(T item);

    /// <summary>Retries of <paramref name="item"/> since it was last forgotten.</summary>
    int NumRequeues(T item);
}
