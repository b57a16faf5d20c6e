// Whether a response is written as protobuf: only when the Accept header's first media type the emulator can serve
// is plain application/vnd.kubernetes.protobuf (as client-go's typed clients send
// "application/vnd.kubernetes.protobuf,application/json"). Protobuf with `as=Table` or `as=PartialObjectMetadata`
// is not served and is skipped, as ResponseShape skips it; a JSON media type earlier in the list wins.
namespace Operator.Emulator.Protobuf;

/// <summary>Content negotiation between JSON and protobuf.</summary>
public static class ProtobufNegotiation
{
    public static bool Preferred(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var entry in request.Headers.Accept.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] == ProtobufEnvelope.MediaType)
            {
                if (parts.Skip(1).Any(parameter => parameter.StartsWith("as=", StringComparison.Ordinal)))
                {
                    continue;
                }

                return true;
            }

            if (parts[0] is "application/json" or "application/*" or "*/*")
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Writes the object as protobuf when the client prefers it and the emulator can encode it; false when JSON must be written instead.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext context, int statusCode, System.Text.Json.Nodes.JsonObject body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Preferred(context.Request) || ProtobufEnvelope.TryEncode(body) is not { } bytes)
        {
            return false;
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ProtobufEnvelope.MediaType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, ct).ConfigureAwait(false);
        return true;
    }
}
