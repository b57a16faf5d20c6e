namespace Operator.Emulator.Protobuf;

/// <summary>A Kubernetes message: its qualified name (`core.Secret`) and its fields, by number and by JSON name.</summary>
internal sealed class ProtobufMessage
{
    public ProtobufMessage(string name, IReadOnlyList<ProtobufField> fields)
    {
        Name = name;
        Fields = [.. fields.OrderBy(field => field.Number)];
        ByNumber = Fields.ToDictionary(field => field.Number);
        ByJsonName = Fields.Where(field => !field.Inline).ToDictionary(field => field.JsonName, StringComparer.Ordinal);
    }

    public string Name { get; }

    public IReadOnlyList<ProtobufField> Fields { get; }

    public IReadOnlyDictionary<int, ProtobufField> ByNumber { get; }

    public IReadOnlyDictionary<string, ProtobufField> ByJsonName { get; }
}
