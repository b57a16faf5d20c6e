// Reads JSON strings through a StringPool, so that the many equal short strings of decoded custom resources (condition
// types, reasons and messages, queue names, pool kinds, images) are one instance each instead of one per object: at
// 10,000 Celery resources such copies held 19 MB of a 200 MB live heap. Invariants: a read string is equal to the
// JSON's; strings longer than MaxSharedLength are returned as read (long values rarely repeat, and the pool's bounded
// capacity is better spent on short ones); writing is JSON's ordinary string writing.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Operator.Runtime.Source;

/// <summary>A string converter that shares each short string it reads through a <see cref="StringPool"/>.</summary>
public sealed class SharedStringJsonConverter(StringPool pool) : JsonConverter<string>
{
    /// <summary>The longest string that is shared.</summary>
    public const int MaxSharedLength = 128;

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is { Length: <= MaxSharedLength } ? pool.Share(value) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
