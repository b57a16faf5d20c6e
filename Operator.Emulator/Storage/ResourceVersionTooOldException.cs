namespace Operator.Emulator.Storage;

/// <summary>A watch asked for history the store no longer keeps.</summary>
public sealed class ResourceVersionTooOldException(long requested, long oldest)
    : Exception($"too old resource version: {requested} ({oldest})")
{
    public long Requested { get; } = requested;

    public long Oldest { get; } = oldest;
}
