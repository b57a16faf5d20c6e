namespace Operator.Runtime.Source;

/// <summary>The complete result of a (possibly paginated) list: its items and the resourceVersion to watch from.</summary>
public sealed record ObjectList<T>(IReadOnlyList<T> Items, string ResourceVersion);
