// The beat the builtin scaler keeps: the backlog reader signals the end of each pass, the scaler waits for the next
// one, so every decision uses a fresh reading and a burst is acted on within one read interval. A waiter takes the
// next pass's task before it works, so a pass that ends meanwhile is not missed; signals are not counted: a scaler
// still busy when two passes end runs once more, not twice.
namespace Operator.Celery.Scaling;

/// <summary>Signals the end of a backlog pass to whoever waits for it.</summary>
public sealed class BacklogPasses
{
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A pass ended.</summary>
    public void Completed() => Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A task that completes when the pass under way (or the next one) ends.</summary>
    public Task Next() => Volatile.Read(ref next).Task;
}
