namespace Operator.Runtime.Source;

/// <summary>
/// What one list or watch covers: a resource type, one namespace or all (null), and a label selector; and how
/// each object is cut down before it is deserialized (null keeps it whole).
/// </summary>
public sealed record ListWatchTarget(ResourceDescriptor Resource, string? Namespace = null, string? LabelSelector = null, ObjectProjection? Projection = null)
{
    public override string ToString() => Namespace is null ? Resource.ToString() : $"{Resource} in {Namespace}";
}
