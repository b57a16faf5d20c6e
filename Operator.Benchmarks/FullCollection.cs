// Makes a .NET process collect its whole heap (a blocking, compacting generation-2 collection) from outside, the way
// dotnet-gcdump does: an EventPipe session on the runtime's diagnostics port with the GCHeapCollect keyword. The
// heap size after that collection is the live size. "The heap after the last collection" is not: the last one may
// have been a generation-0 or a background collection that left dead objects and free space in the older generations,
// which is the collector's budget at work, not what the operator keeps.
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace Operator.Benchmarks;

internal static class FullCollection
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    /// <summary>Induces the collection and returns once <paramref name="fullCollections"/> (the process's count of generation-2 collections) has risen.</summary>
    public static async Task RunAsync(int processId, Func<CancellationToken, Task<double?>> fullCollections, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var before = await fullCollections(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the operator does not export its generation-2 collection count");
        var client = new DiagnosticsClient(processId);
        using var session = await client.StartEventPipeSessionAsync(
            [new EventPipeProvider(RuntimeProvider, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword)],
            requestRundown: false, circularBufferMB: 16, cancellationToken).ConfigureAwait(false);
        // The session's events are not needed, but an unread stream would fill and stall the runtime's writer.
        var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            while (await fullCollections(deadline.Token).ConfigureAwait(false) is not { } now || now <= before)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            await session.StopAsync(cancellationToken).ConfigureAwait(false);
            await drain.ConfigureAwait(false);
        }
    }
}
