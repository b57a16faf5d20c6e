// Invariant: entries are kept in the order requests completed; readers get copies, so queries never see a
// half-written log. The log keeps at most Capacity entries, dropping the oldest.
namespace Operator.Emulator.Audit;

/// <summary>Every resource request the emulator answered.</summary>
public sealed class AuditLog(int capacity = 1_000_000)
{
    private readonly Lock gate = new();
    private readonly Queue<AuditEntry> entries = new();

    public int Capacity { get; } = capacity;

    public void Record(AuditEntry entry)
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
    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (gate)
            {
                return [.. entries];
            }
        }
    }

    public IReadOnlyList<AuditEntry> Where(Func<AuditEntry, bool> predicate) => [.. Entries.Where(predicate)];

    /// <summary>Requests by one user (or all users), optionally of one verb and resource.</summary>
    public IReadOnlyList<AuditEntry> Query(string? user = null, string? verb = null, string? resource = null, string? inNamespace = null, string? name = null) =>
        Where(entry => (user is null || entry.User == user) && (verb is null || entry.Verb == verb)
            && (resource is null || entry.Resource == resource) && (inNamespace is null || entry.Namespace == inNamespace)
            && (name is null || entry.Name == name));

    /// <summary>The writes (create, update, patch, delete) one user made.</summary>
    public IReadOnlyList<AuditEntry> Writes(string? user = null) => Where(entry => entry.IsWrite && (user is null || entry.User == user));

    /// <summary>Distinct (verb, group, resource, subresource) a user exercised: what its RBAC must allow.</summary>
    public IReadOnlyList<(string Verb, string Group, string Resource, string? Subresource)> Permissions(string user) =>
        [.. Entries.Where(entry => entry.User == user).Select(entry => (entry.Verb, entry.Group, entry.Resource, entry.Subresource)).Distinct()];

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }
}
