namespace Operator.Emulator.Storage;

/// <summary>
/// A stored collection: objects of every version of one resource share it (the core group is "").
/// </summary>
public sealed record GroupResource(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
