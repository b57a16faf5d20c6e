// Streams a watch as newline-delimited JSON events ({"type":...,"object":...}), flushing after each batch.
// Invariants: events go out in resourceVersion order, replay first; a BOOKMARK never claims a resourceVersion
// whose events have not all been sent; the stream ends on client disconnect, timeoutSeconds, or CloseAllWatches,
// except that a hung stream (HangOpenWatches) outlives its timeoutSeconds and ends only on the first or last.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Discovery;
using Operator.Emulator.Faults;
using Operator.Emulator.Storage;
using Operator.Emulator.Tables;

namespace Operator.Emulator.Watch;

/// <summary>Options of one watch stream.</summary>
public sealed record WatchStreamOptions(WatchFilter Filter, bool Bookmarks, TimeSpan? Timeout, ResponseShape Shape, string? IncludeObject);

/// <summary>Writes a subscription to an HTTP response.</summary>
public sealed class WatchStreamer(ObjectStore store, FaultInjector faults, TimeProvider time, TimeSpan bookmarkInterval)
{
    private static readonly ReadOnlyMemory<byte> Newline = "\n"u8.ToArray();

    public async Task StreamAsync(HttpContext context, ResourceType type, WatchSubscription subscription, WatchStreamOptions options, CancellationToken cancellationToken)
    {
        // connection: what ends the HTTP exchange; lifetime: also the timeout and a hang, which stop the sending only.
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, faults.WatchCloseToken);
        var hang = faults.WatchHangToken;
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, hang);
        if (options.Timeout is { } timeout)
        {
            lifetime.CancelAfter(timeout);
        }

        var ct = lifetime.Token;
        context.Response.StatusCode = 200;
        context.Response.ContentType = JsonResponses.ContentType;
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(ct).ConfigureAwait(false);
        var sentThrough = subscription.StartResourceVersion;
        try
        {
            await faults.WhileStalledAsync(ct).ConfigureAwait(false);
            foreach (var change in subscription.Replay)
            {
                await WriteEventAsync(context, type, change, options).ConfigureAwait(false);
            }

            await context.Response.BodyWriter.FlushAsync(ct).ConfigureAwait(false);
            Task<bool>? pending = null;
            Task? bookmarkDue = null;
            while (!ct.IsCancellationRequested)
            {
                pending ??= subscription.Events.WaitToReadAsync(ct).AsTask();
                bookmarkDue ??= Task.Delay(bookmarkInterval, time, ct);
                var first = await Task.WhenAny(pending, bookmarkDue).ConfigureAwait(false);
                await faults.WhileStalledAsync(ct).ConfigureAwait(false);
                if (first == pending)
                {
                    if (!await pending.ConfigureAwait(false))
                    {
                        break;
                    }

                    pending = null;
                    while (subscription.Events.TryRead(out var change))
                    {
                        sentThrough = change.ResourceVersion;
                        await WriteEventAsync(context, type, change, options).ConfigureAwait(false);
                    }
                }
                else
                {
                    bookmarkDue = null;
                    // Read the version before checking the queue: events up to it were queued before it was visible.
                    var current = store.Snapshot.ResourceVersion;
                    if (options.Bookmarks && !subscription.Events.TryPeek(out _))
                    {
                        sentThrough = Math.Max(sentThrough, current);
                        await WriteLineAsync(context, "BOOKMARK", Bookmark(type, sentThrough)).ConfigureAwait(false);
                    }
                }

                await context.Response.BodyWriter.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Disconnect, timeout or an injected close: the stream simply ends, as a real one does.
        }
        catch (ObjectDisposedException) when (ct.IsCancellationRequested)
        {
            // The close token's source was disposed by CloseAllWatches after cancelling it.
        }

        if (hang.IsCancellationRequested)
        {
            await HangAsync(connection.Token).ConfigureAwait(false);
        }
    }

    // A hung stream sends nothing more and ignores timeoutSeconds: it ends only when the client disconnects or
    // CloseAllWatches is called.
    private static async Task HangAsync(CancellationToken connection)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the watches were closed.
        }
    }

    /// <summary>The single ERROR event a watch from a compacted resourceVersion gets (HTTP 200, then the Status).</summary>
    public static async Task WriteExpiredAsync(HttpContext context, ResourceVersionTooOldException error, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = JsonResponses.ContentType;
        var status = ApiException.Expired($"too old resource version: {error.Requested} ({error.Oldest})").ToStatus();
        await WriteLineAsync(context, "ERROR", status).ConfigureAwait(false);
        await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteEventAsync(HttpContext context, ResourceType type, WatchEvent change, WatchStreamOptions options)
    {
        var visible = options.Filter.Translate(change);
        if (visible is null)
        {
            return;
        }

        var name = WatchEvent.WireName(visible.Type);
        if (options.Shape.Form == ResponseForm.PartialObjectMetadata)
        {
            await WriteLineAsync(context, name, PartialObjectMetadata.Of(visible.Object, options.Shape)).ConfigureAwait(false);
            return;
        }

        if (options.Shape.Form == ResponseForm.Table)
        {
            var obj = Conversion.ServedVersion.Present(type, visible.Object.ToJsonObject());
            var table = TableBuilder.Build(type, [obj], visible.ResourceVersion.ToString(CultureInfo.InvariantCulture), null, null, options.IncludeObject, time.GetUtcNow());
            await WriteLineAsync(context, name, table).ConfigureAwait(false);
            return;
        }

        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonResponses.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", name);
            writer.WritePropertyName("object");
            JsonResponses.WriteObject(writer, type, visible.Object);
            writer.WriteEndObject();
        }

        await WriteNewlineAsync(context).ConfigureAwait(false);
    }

    private static async Task WriteLineAsync(HttpContext context, string eventType, JsonNode obj)
    {
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonResponses.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", eventType);
            writer.WritePropertyName("object");
            obj.WriteTo(writer);
            writer.WriteEndObject();
        }

        await WriteNewlineAsync(context).ConfigureAwait(false);
    }

    private static async Task WriteNewlineAsync(HttpContext context) =>
        await context.Response.BodyWriter.WriteAsync(Newline).ConfigureAwait(false);

    private static JsonObject Bookmark(ResourceType type, long resourceVersion) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.GroupVersion,
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture),
            ["creationTimestamp"] = null,
        },
    };
}
