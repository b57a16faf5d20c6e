namespace Operator.Emulator.Api;

/// <summary>How an object reached admission: managedFields are recorded differently for apply.</summary>
public enum WriteKind
{
    Create,
    Update,
    Apply,
}
