namespace Operator.Runtime.Metrics;

/// <summary>Discards every queue event; the default when no metrics are wanted.</summary>
public sealed class NullWorkQueueMetrics : IWorkQueueMetrics
{
    public static NullWorkQueueMetrics Instance { get; } = new();

    private NullWorkQueueMetrics()
    {
    }

    public void Added()
    {
    }

    public void Started(TimeSpan queued)
    {
    }

    public void Finished(TimeSpan worked)
    {
    }

    public void Retried()
    {
    }
}
