namespace Operator.Emulator.Storage;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One committed change. For <see cref="WatchEventType.Deleted"/> the object is its last state, carrying the
/// resourceVersion of the deletion (as kube-apiserver reports it). <see cref="Previous"/> is the state before the
/// change (null for ADDED), which filtered watches need to turn a change of labels into ADDED or DELETED.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, StoredObject Object, StoredObject? Previous = null)
{
    public long ResourceVersion => Object.ResourceVersion;

    public static string WireName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
