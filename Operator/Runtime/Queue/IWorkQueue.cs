namespace Operator.Runtime.Queue;

/// <summary>
/// A work queue with client-go's contract: an item is never held by two workers at once, adds of an item that is
/// already waiting collapse into one, and an add while the item is held runs it again once, after
/// <see cref="Done"/>. Every item returned by <see cref="GetAsync"/> must be handed back with <see cref="Done"/>.
/// Items of <see cref="WorkPriority.Normal"/> are handed out before items of <see cref="WorkPriority.Low"/>; within a
/// priority, in the order they were added.
/// </summary>
public interface IWorkQueue<T>
    where T : class
{
    /// <summary>Items waiting to be taken.</summary>
    int Length { get; }

    bool ShuttingDown { get; }

    /// <summary>Marks <paramref name="item"/> as needing work at <see cref="WorkPriority.Normal"/>. Ignored once the queue is shutting down.</summary>
    void Add(T item);

    /// <summary>
    /// Marks <paramref name="item"/> as needing work at <paramref name="priority"/>. An item already waiting at a
    /// lower priority is raised (it keeps no place in the lower lane); one waiting at the same or a higher priority
    /// keeps its place. Ignored once the queue is shutting down.
    /// </summary>
    void Add(T item, WorkPriority priority);

    /// <summary>Waits for the next item; null once the queue is shutting down.</summary>
    ValueTask<T?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Hands back an item taken with <see cref="GetAsync"/>.</summary>
    void Done(T item);

    /// <summary>Stops handing out items and ignores new adds. Items already held may still be marked done.</summary>
    void ShutDown();

    /// <summary>Shuts down, then completes when every held item has been marked done.</summary>
    Task ShutDownWithDrainAsync(CancellationToken cancellationToken);
}
