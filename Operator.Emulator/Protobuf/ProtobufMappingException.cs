namespace Operator.Emulator.Protobuf;

/// <summary>
/// A message the emulator cannot map between protobuf and JSON: a field number or JSON field its table does not
/// know, or a value of the wrong shape. Raised instead of silently dropping data.
/// </summary>
public sealed class ProtobufMappingException(string message) : Exception(message);
