// A JSON writer over a growable buffer, reused from one call to the next. Hot paths that write a small document
// per object (a fingerprint, a projection) would otherwise allocate a buffer and a writer, and regrow the buffer,
// for every object an informer decodes. Invariants: Start discards what the previous use wrote; what Finish
// returns is valid until the next Start. Not thread-safe: callers keep one per thread ([ThreadStatic]) and
// never await between Start and their last read of Finish's result.
using System.Buffers;
using System.Text.Json;

namespace Operator.Runtime;

/// <summary>A reusable <see cref="Utf8JsonWriter"/> and the buffer it writes to.</summary>
public sealed class ReusableJsonBuffer(JsonWriterOptions options = default)
{
    private readonly ArrayBufferWriter<byte> buffer = new(4096);
    private Utf8JsonWriter? writer;

    /// <summary>An empty buffer and a writer positioned at its start.</summary>
    public Utf8JsonWriter Start()
    {
        buffer.ResetWrittenCount();
        writer ??= new Utf8JsonWriter(buffer, options);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>Flushes the writer; the bytes written since <see cref="Start"/>.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        writer?.Flush();
        return buffer.WrittenMemory;
    }
}
