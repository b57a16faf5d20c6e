using Operator.Celery.Model;
using Operator.Runtime.Handler;

namespace Operator.Celery.Backlog;

/// <summary>Nudges the backlog reader when a resource appears or its spec changes (its queues or broker may have); a status write is not a reason.</summary>
public sealed class BacklogNudge(BacklogReader reader) : IResourceEventHandler<CeleryResource>
{
    public void OnAdd(CeleryResource obj, bool isInInitialList) => reader.Nudge();

    public void OnUpdate(CeleryResource previous, CeleryResource current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        if (previous.Metadata.Generation != current.Metadata.Generation)
        {
            reader.Nudge();
        }
    }

    public void OnDelete(CeleryResource obj)
    {
    }
}
