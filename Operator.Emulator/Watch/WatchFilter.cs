// A filtered watch reports what an observer of the filtered list would see: an object that starts matching is
// ADDED, one that stops matching is DELETED (carrying its new state), as kube-apiserver's watch cache does.
using Operator.Emulator.Selectors;
using Operator.Emulator.Storage;

namespace Operator.Emulator.Watch;

/// <summary>Label and field selectors of a watch.</summary>
public sealed record WatchFilter(LabelSelector Labels, FieldSelector Fields)
{
    public bool IsEmpty => Labels.IsEmpty && Fields.IsEmpty;

    /// <summary>The event to send for <paramref name="change"/>, or null when the watcher should not see it.</summary>
    public WatchEvent? Translate(WatchEvent change)
    {
        if (IsEmpty)
        {
            return change;
        }

        var matchesNow = Matches(change.Object);
        var matchedBefore = change.Previous is { } previous && Matches(previous);
        return change.Type switch
        {
            WatchEventType.Added => matchesNow ? change : null,
            WatchEventType.Deleted => matchedBefore || matchesNow ? change : null,
            _ when matchesNow && matchedBefore => change,
            _ when matchesNow => change with { Type = WatchEventType.Added },
            _ when matchedBefore => change with { Type = WatchEventType.Deleted },
            _ => null,
        };
    }

    private bool Matches(StoredObject item) => Labels.Matches(item.Labels) && (Fields.IsEmpty || Fields.Matches(item));
}
