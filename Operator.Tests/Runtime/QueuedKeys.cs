// What a handler or controller put on a work queue, read back in order: each key is taken and marked done, so the
// queue is left empty and the keys it held are what the test asserts on.
using Operator.Runtime;
using Operator.Runtime.Queue;

namespace Operator.Tests.Runtime;

internal static class QueuedKeys
{
    /// <summary>Takes every queued key, in queue order, as "namespace/name".</summary>
    public static async Task<List<string>> DrainAsync(IWorkQueue<ObjectKey> queue)
    {
        var keys = new List<string>();
        while (queue.Length > 0)
        {
            var key = (await queue.GetAsync(CancellationToken.None))!;
            keys.Add(key.ToString());
            queue.Done(key);
        }

        return keys;
    }
}
