// Invariant: entries are kept in the order they were recorded; readers get copies, so queries never see a
// half-written log. At most Capacity entries are kept, the oldest dropped first.
namespace Operator.Emulator.Audit;

/// <summary>A thread-safe, size-bounded, append-only record.</summary>
public class BoundedLog<T>(int capacity)
{
    private readonly Lock gate = new();
    private readonly Queue<T> entries = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "a log keeps at least one entry");

    public void Record(T entry)
    {
        lock (gate)
        {
            if (entries.Count >= Capacity)
            {
                entries.Dequeue();
            }

            entries.Enqueue(entry);
        }
    }

    /// <summary>A copy of every entry, oldest first.</summary>
    public IReadOnlyList<T> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public IReadOnlyList<T> Where(Func<T, bool> predicate) => [.. Entries.Where(predicate)];

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }
}
