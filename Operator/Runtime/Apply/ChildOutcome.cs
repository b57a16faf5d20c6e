namespace Operator.Runtime.Apply;

/// <summary>What ensuring one child did.</summary>
public enum ChildAction
{
    Unchanged,
    Created,
    Updated,
    Deleted,

    /// <summary>An object of the child's name exists and is not controlled by this resource: left alone.</summary>
    Conflict,
}

/// <summary>The outcome for one child, for events, status and tests; <see cref="Kind"/> is the child's kind.</summary>
public sealed record ChildOutcome(ChildAction Action, string Kind, string Name, string? Detail = null)
{
    public override string ToString() => $"{Action} {Kind} {Name}{(Detail is null ? "" : ": " + Detail)}";
}
