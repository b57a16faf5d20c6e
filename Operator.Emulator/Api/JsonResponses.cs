// Writes API responses as application/json; a Status error goes out as protobuf instead when the client prefers it
// (ProtobufNegotiation). No CBOR.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Api;

/// <summary>Serializes objects, lists and Status errors to the HTTP response.</summary>
public static class JsonResponses
{
    public const string ContentType = "application/json";

    /// <summary>Escapes only what JSON requires (quotes stay \", as kube-apiserver writes them).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ContentType;
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            body.WriteTo(writer);
        }

        await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The error's Status, as protobuf when the client prefers it (client-go's typed clients), else as JSON.</summary>
    public static async Task WriteErrorAsync(HttpContext context, ApiException error, CancellationToken cancellationToken)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        var status = error.ToStatus();
        if (!await Protobuf.ProtobufNegotiation.TryWriteAsync(context, error.Code, status, cancellationToken).ConfigureAwait(false))
        {
            await WriteAsync(context, error.Code, status, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A {Kind}List whose items are written straight from their stored bytes.</summary>
    public static async Task WriteListAsync(HttpContext context, ResourceType type, ListPage page, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = ContentType;
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.GroupVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", page.ResourceVersion.ToString(CultureInfo.InvariantCulture));
            if (page.Continue is not null)
            {
                writer.WriteString("continue", page.Continue);
            }

            if (page.RemainingItemCount is { } remaining)
            {
                writer.WriteNumber("remainingItemCount", remaining);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                WriteObject(writer, type, item);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a stored object as the requested version (CRDs store one object for every served version; Events one for core and events.k8s.io).</summary>
    public static void WriteObject(Utf8JsonWriter writer, ResourceType type, StoredObject item)
    {
        if (item.ApiVersion == type.GroupVersion)
        {
            writer.WriteRawValue(item.Json, skipInputValidation: true);
            return;
        }

        Conversion.ServedVersion.Present(type, item.ToJsonObject()).WriteTo(writer);
    }
}
