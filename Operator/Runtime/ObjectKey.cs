namespace Operator.Runtime;

/// <summary>
/// The identity of a Kubernetes object inside one resource type: namespace and name.
/// Invariant: <see cref="Name"/> is never empty; a cluster-scoped object has an empty <see cref="Namespace"/>.
/// The string form is "namespace/name" (or "name" when cluster-scoped), the form client-go uses for cache keys.
/// </summary>
public sealed record ObjectKey
{
    public ObjectKey(string? @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Namespace = @namespace ?? string.Empty;
        Name = name;
    }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>Parses "namespace/name" or "name".</summary>
    public static ObjectKey Parse(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ObjectKey(null, key) : new ObjectKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
