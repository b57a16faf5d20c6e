// One page of a list response, read whole into pooled memory, with its list metadata read from the front. The
// continue token is all the next request needs, and the API server writes metadata before items, so the next page
// can be requested without parsing this one: parsing moves off the chain of requests and into the parallel decoding.
// Invariants: Body is valid until Dispose, which returns the buffer to the pool exactly once; a document parsed from
// Body must be disposed before the page is.
using System.Buffers;
using System.Text.Json;

namespace Operator.Runtime.Source;

/// <summary>The raw body of one list page and its metadata (continue token and resourceVersion).</summary>
public sealed class ListPageBody : IDisposable
{
    private const int MinimumBuffer = 64 * 1024;

    private byte[]? buffer;
    private readonly int length;

    private ListPageBody(byte[] buffer, int length)
    {
        this.buffer = buffer;
        this.length = length;
        (Continue, ResourceVersion) = ReadMetadata(Body.Span);
    }

    /// <summary>metadata.continue; null or empty on the last page.</summary>
    public string? Continue { get; }

    /// <summary>metadata.resourceVersion.</summary>
    public string? ResourceVersion { get; }

    public ReadOnlyMemory<byte> Body => new(buffer ?? throw new ObjectDisposedException(nameof(ListPageBody)), 0, length);

    /// <summary>Reads <paramref name="stream"/> to its end.</summary>
    public static async Task<ListPageBody> ReadAsync(Stream stream, long? contentLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var rented = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(contentLength ?? 0, MinimumBuffer, Array.MaxLength));
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == rented.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(rented.Length * 2);
                    rented.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = larger;
                }

                var read = await stream.ReadAsync(rented.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new ListPageBody(rented, filled);
                }

                filled += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    /// <summary>Parses the page; the document reads this page's memory, so it must be disposed first.</summary>
    public JsonDocument Parse() => JsonDocument.Parse(Body);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } returned)
        {
            ArrayPool<byte>.Shared.Return(returned);
        }
    }

    // Reads the top-level "metadata" object, skipping anything before it; a page that puts items first (no API
    // server does) costs a scan of them, not a wrong answer.
    private static (string? Continue, string? ResourceVersion) ReadMetadata(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A list response is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? continueToken = null, resourceVersion = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isContinue = reader.ValueTextEquals("continue"u8);
                var isResourceVersion = reader.ValueTextEquals("resourceVersion"u8);
                reader.Read();
                if (isContinue && reader.TokenType == JsonTokenType.String)
                {
                    continueToken = reader.GetString();
                }
                else if (isResourceVersion && reader.TokenType == JsonTokenType.String)
                {
                    resourceVersion = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return (continueToken, resourceVersion);
        }

        return (null, null);
    }
}
