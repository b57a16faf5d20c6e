namespace Operator.Emulator.Api;

/// <summary>The finalizers the garbage collector acts on (set by delete propagation policies).</summary>
public static class DeletionFinalizers
{
    public const string Foreground = "foregroundDeletion";
    public const string Orphan = "orphan";
}
