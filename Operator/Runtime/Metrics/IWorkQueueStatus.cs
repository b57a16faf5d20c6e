namespace Operator.Runtime.Metrics;

/// <summary>What a work queue holds right now; read by gauges at scrape time.</summary>
public interface IWorkQueueStatus
{
    /// <summary>The queue's name, used as the <c>name</c> label.</summary>
    string Name { get; }

    /// <summary>Items waiting to be taken by a worker.</summary>
    int Depth { get; }

    /// <summary>How long each item currently held by a worker has been held.</summary>
    IReadOnlyList<TimeSpan> InFlightDurations();
}
