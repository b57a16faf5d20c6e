namespace Operator.Emulator.Protobuf;

/// <summary>
/// How a field's value is written on the wire and in JSON. The scalar types are protobuf's own; the others are
/// Kubernetes messages whose JSON form is not an object of their fields (a timestamp string, an int-or-string, a
/// quantity string, raw JSON carried as bytes, a list of strings), or <see cref="Message"/> for an ordinary message.
/// </summary>
internal enum ProtobufFieldType
{
    String,
    Bytes,
    Bool,
    Int32,
    Int64,
    Double,
    Float,
    Message,
    Time,
    MicroTime,
    FieldsV1,
    IntOrString,
    Quantity,
    RawExtension,
    StringList,
}

/// <summary>
/// One field of a Kubernetes message: its JSON name and protobuf number, its type (<see cref="MessageName"/> for a
/// <see cref="ProtobufFieldType.Message"/>), whether it is repeated or a map from string keys, whether its message's
/// fields appear inline in the parent's JSON (an embedded Go struct), and whether JSON keeps its zero value (a Go
/// pointer or a field without omitempty); other zero values are dropped when decoding, as Go's JSON encoding omits them.
/// </summary>
internal sealed record ProtobufField(
    string JsonName,
    int Number,
    ProtobufFieldType Type,
    string? MessageName,
    bool Repeated,
    bool Map,
    bool Inline,
    bool KeepZero)
{
    /// <summary>Whether the value is written length-delimited (as opposed to a varint or a fixed-width number).</summary>
    public bool LengthDelimited => Type is not (ProtobufFieldType.Bool or ProtobufFieldType.Int32 or ProtobufFieldType.Int64 or ProtobufFieldType.Double or ProtobufFieldType.Float);
}
