// A set of managed-field paths, stored as a trie of path elements.
// Invariants: a node is in the set when IsMember; every node without IsMember has at least one member below it
// (no dangling empty nodes), so "anything at or under a path" is just "the path's node exists"; the root is
// never a member. Sets are built by Insert only and are not changed after being handed out, except through the
// explicit Remove* operations used while building a manager's set.
namespace Operator.Emulator.Patching;

internal sealed class FieldSet
{
    private readonly SortedDictionary<string, FieldSet> children = new(StringComparer.Ordinal);

    public bool IsMember { get; private set; }

    public IReadOnlyDictionary<string, FieldSet> Children => children;

    public bool IsEmpty => !IsMember && children.Count == 0;

    public static FieldSet Of(IEnumerable<IReadOnlyList<PathElement>> paths)
    {
        var set = new FieldSet();
        foreach (var path in paths)
        {
            set.Insert(path);
        }

        return set;
    }

    public void Insert(IReadOnlyList<PathElement> path)
    {
        if (path.Count == 0)
        {
            return;
        }

        var node = this;
        foreach (var element in path)
        {
            if (!node.children.TryGetValue(element.Encoded, out var child))
            {
                child = new FieldSet();
                node.children[element.Encoded] = child;
            }

            node = child;
        }

        node.IsMember = true;
    }

    /// <summary>The node at <paramref name="path"/>: null when nothing is at or under it.</summary>
    public FieldSet? Find(IReadOnlyList<PathElement> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node.children.TryGetValue(element.Encoded, out node))
            {
                return null;
            }
        }

        return node;
    }

    public FieldSet? Child(PathElement element) => children.GetValueOrDefault(element.Encoded);

    public bool Contains(IReadOnlyList<PathElement> path) => Find(path)?.IsMember == true;

    public IEnumerable<IReadOnlyList<PathElement>> Members() => Members([]);

    // The set operations walk both tries together (cost proportional to the sets' sizes) and build new nodes, so
    // results never share nodes with their operands.
    public FieldSet Union(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember || other.IsMember };
        foreach (var (encoded, child) in children)
        {
            result.children[encoded] = other.children.TryGetValue(encoded, out var both) ? child.Union(both) : child.Copy();
        }

        foreach (var (encoded, child) in other.children)
        {
            if (!children.ContainsKey(encoded))
            {
                result.children[encoded] = child.Copy();
            }
        }

        return result;
    }

    public FieldSet Difference(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && !other.IsMember };
        foreach (var (encoded, child) in children)
        {
            var remaining = other.children.TryGetValue(encoded, out var removed) ? child.Difference(removed) : child.Copy();
            if (!remaining.IsEmpty)
            {
                result.children[encoded] = remaining;
            }
        }

        return result;
    }

    public FieldSet Intersection(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && other.IsMember };
        foreach (var (encoded, child) in children)
        {
            if (other.children.TryGetValue(encoded, out var both) && child.Intersection(both) is { IsEmpty: false } common)
            {
                result.children[encoded] = common;
            }
        }

        return result;
    }

    /// <summary>The members for which <paramref name="keep"/> holds (it is shown each member's path, which it must not keep).</summary>
    public FieldSet Where(Func<IReadOnlyList<PathElement>, bool> keep) => Where(keep, []);

    private FieldSet Where(Func<IReadOnlyList<PathElement>, bool> keep, List<PathElement> prefix)
    {
        var result = new FieldSet { IsMember = IsMember && keep(prefix) };
        foreach (var (encoded, child) in children)
        {
            prefix.Add(new PathElement(encoded));
            var kept = child.Where(keep, prefix);
            prefix.RemoveAt(prefix.Count - 1);
            if (!kept.IsEmpty)
            {
                result.children[encoded] = kept;
            }
        }

        return result;
    }

    private FieldSet Copy()
    {
        var copy = new FieldSet { IsMember = IsMember };
        foreach (var (encoded, child) in children)
        {
            copy.children[encoded] = child.Copy();
        }

        return copy;
    }

    private IEnumerable<IReadOnlyList<PathElement>> Members(List<PathElement> prefix)
    {
        if (IsMember)
        {
            yield return prefix.ToArray();
        }

        foreach (var (encoded, child) in children)
        {
            prefix.Add(new PathElement(encoded));
            foreach (var member in child.Members(prefix))
            {
                yield return member;
            }

            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    /// <summary>Builds a node while decoding FieldsV1; callers keep the no-dangling-node invariant.</summary>
    internal FieldSet GetOrAddChild(PathElement element)
    {
        if (!children.TryGetValue(element.Encoded, out var child))
        {
            child = new FieldSet();
            children[element.Encoded] = child;
        }

        return child;
    }

    internal void MarkMember() => IsMember = true;

    internal void RemoveEmptyChildren()
    {
        foreach (var (encoded, child) in children.ToList())
        {
            child.RemoveEmptyChildren();
            if (child.IsEmpty)
            {
                children.Remove(encoded);
            }
        }
    }
}
