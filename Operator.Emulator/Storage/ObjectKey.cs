namespace Operator.Emulator.Storage;

/// <summary>
/// The identity of an object inside its collection. Cluster-scoped objects have an empty namespace.
/// Keys order by namespace, then name (ordinal), which is the order lists and continue tokens use.
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name) : IComparable<ObjectKey>
{
    public int CompareTo(ObjectKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public static bool operator <(ObjectKey left, ObjectKey right) => left.CompareTo(right) < 0;

    public static bool operator >(ObjectKey left, ObjectKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(ObjectKey left, ObjectKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ObjectKey left, ObjectKey right) => left.CompareTo(right) >= 0;

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
