// The backlog reader's settings in the backlog tests, whatever the broker: a read every second with a short call
// timeout and circuit break, so an outage and the recovery after it show within seconds; Settle is how long a count
// may take to reach what a user sees (status, the BACKLOG column, the metric).
using Operator.Celery.Backlog;

namespace Operator.IntegrationTests.Reconciliation;

internal static class QuickBacklogReader
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    public static readonly BacklogOptions Options = new()
    {
        Interval = TimeSpan.FromSeconds(1),
        CallTimeout = TimeSpan.FromMilliseconds(800),
        BreakDuration = TimeSpan.FromSeconds(3),
    };
}
