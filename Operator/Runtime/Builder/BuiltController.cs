using Operator.Runtime.Queue;
using Operator.Runtime.Reconcile;

namespace Operator.Runtime.Builder;

/// <summary>A controller made by <see cref="ControllerBuilder"/>, and its queue (for tests and metrics).</summary>
public sealed record BuiltController(Controller Controller, IRateLimitingQueue<ObjectKey> Queue)
{
    /// <summary>Runs the controller's workers until cancelled; the informers run apart, on every replica.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Controller.RunAsync(cancellationToken);
}
