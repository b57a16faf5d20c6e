namespace Operator.Emulator.Storage;

/// <summary>
/// The identity of an object inside its collection. Cluster-scoped objects have an empty namespace.
/// Keys order as kube-apiserver's storage keys do: ordinally by "namespace/name" (just "name" when cluster-scoped),
/// which is the order lists and continue tokens use. So "ns-b/x" sorts before "ns/x" ('-' is below '/'), and the
/// keys of one namespace are still contiguous: they are exactly those with the prefix "namespace/".
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name) : IComparable<ObjectKey>
{
    private const char Separator = '/';

    public int CompareTo(ObjectKey other)
    {
        // Compares the two storage keys without building them: the namespace, its separator, then the name.
        var length = Math.Min(StorageKeyLength, other.StorageKeyLength);
        for (var i = 0; i < length; i++)
        {
            var difference = CharAt(i) - other.CharAt(i);
            if (difference != 0)
            {
                return difference;
            }
        }

        return StorageKeyLength - other.StorageKeyLength;
    }

    /// <summary>Whether this key lies in <paramref name="inNamespace"/>: its storage key starts with "namespace/".</summary>
    public bool IsIn(string inNamespace) => string.Equals(Namespace, inNamespace, StringComparison.Ordinal);

    /// <summary>The order of this key against the first storage key of <paramref name="inNamespace"/> ("namespace/").</summary>
    public int CompareToNamespaceStart(string inNamespace) => CompareTo(new ObjectKey(inNamespace, string.Empty));

    private int PrefixLength => Namespace.Length == 0 ? 0 : Namespace.Length + 1;

    private int StorageKeyLength => PrefixLength + Name.Length;

    private char CharAt(int index) =>
        index < Namespace.Length ? Namespace[index]
        : index < PrefixLength ? Separator
        : Name[index - PrefixLength];

    public static bool operator <(ObjectKey left, ObjectKey right) => left.CompareTo(right) < 0;

    public static bool operator >(ObjectKey left, ObjectKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(ObjectKey left, ObjectKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ObjectKey left, ObjectKey right) => left.CompareTo(right) >= 0;

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
