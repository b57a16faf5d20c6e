namespace Operator.Runtime.Metrics;

/// <summary>
/// The events a work queue reports. Depth, unfinished work and the longest running item are not events: they
/// are read from <see cref="IWorkQueueStatus"/> when a scrape happens, so they can never drift from the queue.
/// </summary>
public interface IWorkQueueMetrics
{
    /// <summary>An item was accepted by the queue (not counted when it collapsed into an item already queued).</summary>
    void Added();

    /// <summary>A worker took an item that had waited <paramref name="queued"/> since it was added.</summary>
    void Started(TimeSpan queued);

    /// <summary>A worker finished an item after <paramref name="worked"/>.</summary>
    void Finished(TimeSpan worked);

    /// <summary>An item was scheduled to be added again later.</summary>
    void Retried();
}
