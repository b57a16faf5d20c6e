using System.Text.Json.Nodes;

namespace Operator.Emulator.Storage;

/// <summary>What a write callback decided to do with the object it was shown.</summary>
public abstract record WriteDecision
{
    private WriteDecision()
    {
    }

    /// <summary>Store <see cref="Object"/> (create or replace); the store sets its resourceVersion.</summary>
    public sealed record Put(JsonObject Object) : WriteDecision;

    /// <summary>Remove the object; <see cref="FinalState"/> is what the DELETED event and the response carry.</summary>
    public sealed record Remove(JsonObject FinalState) : WriteDecision;

    /// <summary>Leave the store as it is (a no-op update): no new resourceVersion, no event.</summary>
    public sealed record Keep : WriteDecision;
}

public enum WriteOutcome
{
    Created,
    Updated,
    Deleted,
    Unchanged,
}

/// <summary>The result of a write: the object as stored (or as it would be, for a dry run).</summary>
public sealed record WriteResult(WriteOutcome Outcome, JsonObject? Object, StoredObject? Stored);
