namespace Operator.Celery.Backlog;

/// <summary>
/// A queue to read, with the Redis priority steps to add to it (kombu keeps the messages of each non-zero step in
/// its own list); ignored by brokers that keep priorities inside one queue.
/// </summary>
public sealed record BacklogQueue(string Name, IReadOnlyList<int> PrioritySteps)
{
    /// <summary>Steps 1 to 9: kombu's default steps (3, 6, 9) and the common full range (priority_steps=range(10)).</summary>
    public static IReadOnlyList<int> DefaultPrioritySteps { get; } = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    public bool Equals(BacklogQueue? other) => other is not null && Name == other.Name && PrioritySteps.SequenceEqual(other.PrioritySteps);

    public override int GetHashCode() => HashCode.Combine(Name, PrioritySteps.Count);
}
