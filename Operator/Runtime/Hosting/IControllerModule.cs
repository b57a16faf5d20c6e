namespace Operator.Runtime.Hosting;

/// <summary>
/// Something the host runs: informers on every instance (a standby keeps caches warm), and leader-only work.
/// The host starts every informer once, at start-up, and stops them only after leader work has ended.
/// <see cref="RunAsLeaderAsync"/> is called at most once per process: losing leadership stops the process, so a
/// module never has to restart controllers whose queues it has shut down.
/// </summary>
public interface IControllerModule
{
    string Name { get; }

    IReadOnlyList<Operator.Runtime.Source.IInformer> Informers { get; }

    /// <summary>Runs the module's controllers until the token is cancelled; called only while this instance leads.</summary>
    Task RunAsLeaderAsync(CancellationToken cancellationToken);
}
