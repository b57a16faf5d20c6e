namespace Operator.Emulator.Storage;

/// <summary>Where an object lives in the store: its collection and its key there.</summary>
public readonly record struct ObjectRef(GroupResource Type, ObjectKey Key)
{
    public override string ToString() => $"{Type} {Key}";
}
