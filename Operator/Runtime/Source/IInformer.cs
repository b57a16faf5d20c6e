namespace Operator.Runtime.Source;

/// <summary>The type-independent face of an informer: what a controller waits on and what a host runs.</summary>
public interface IInformer
{
    ResourceDescriptor Resource { get; }

    /// <summary>Completes once every watch scope has listed once; never faults.</summary>
    Task Synced { get; }

    bool HasSynced { get; }

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
