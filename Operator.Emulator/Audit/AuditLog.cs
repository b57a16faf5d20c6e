namespace Operator.Emulator.Audit;

/// <summary>Every resource request the emulator answered, in the order requests completed.</summary>
public sealed class AuditLog(int capacity = 1_000_000) : BoundedLog<AuditEntry>(capacity)
{
    /// <summary>Requests by one user (or all users), optionally of one verb and resource.</summary>
    public IReadOnlyList<AuditEntry> Query(string? user = null, string? verb = null, string? resource = null, string? inNamespace = null, string? name = null) =>
        Where(entry => (user is null || entry.User == user) && (verb is null || entry.Verb == verb)
            && (resource is null || entry.Resource == resource) && (inNamespace is null || entry.Namespace == inNamespace)
            && (name is null || entry.Name == name));

    /// <summary>The writes (create, update, patch, delete) one user made.</summary>
    public IReadOnlyList<AuditEntry> Writes(string? user = null) => Where(entry => entry.IsWrite && (user is null || entry.User == user));

    /// <summary>
    /// Distinct (verb, group, resource, subresource) of the requests a user sent. Not everything its RBAC must allow: an
    /// apply that creates is also authorized as create (see the authorization decisions).
    /// </summary>
    public IReadOnlyList<(string Verb, string Group, string Resource, string? Subresource)> Permissions(string user) =>
        [.. Entries.Where(entry => entry.User == user).Select(entry => (entry.Verb, entry.Group, entry.Resource, entry.Subresource)).Distinct()];
}
