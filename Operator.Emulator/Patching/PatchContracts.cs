// Contract between the emulator's API server (storage, HTTP) and its patch engine.
// The API server calls only these entry points; the patch engine owns their implementation.
using System.Text.Json.Nodes;
using Operator.Emulator.Schema;

namespace Operator.Emulator.Patching;

/// <summary>A patch the API server must reject; <see cref="StatusCode"/> is 400 (malformed) or 422 (invalid).</summary>
public sealed class PatchException(string message, int statusCode = 422) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>One field another manager owns with a different value than the applier asked for.</summary>
public sealed record FieldConflict(string Path, string Manager);

/// <summary>Result of a server-side apply: the merged object (with managedFields), or the conflicts that stopped it.</summary>
public sealed record ApplyOutcome(JsonObject? Result, IReadOnlyList<FieldConflict> Conflicts)
{
    public bool Succeeded => Result is not null && Conflicts.Count == 0;
}

/// <summary>RFC 7386 JSON merge patch.</summary>
public static partial class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => throw new NotImplementedException();
}

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test).</summary>
public static partial class JsonPatch
{
    public static JsonNode? Apply(JsonNode? target, JsonArray operations) => throw new NotImplementedException();
}

/// <summary>Kubernetes strategic merge patch, driven by the type's list-merge keys and patch directives.</summary>
public static partial class StrategicMergePatch
{
    public static JsonNode Apply(JsonNode target, JsonNode patch, TypeSchema schema) => throw new NotImplementedException();
}

/// <summary>Server-side apply and managedFields bookkeeping (FieldsV1).</summary>
public static partial class FieldManager
{
    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/> onto <paramref name="live"/> (null on create).
    /// Fields the manager applied before but no longer applies are removed when no other manager owns them.
    /// With <paramref name="subresource"/> = "status" only the status is taken from the applied object.
    /// </summary>
    public static ApplyOutcome Apply(JsonObject? live, JsonObject applied, string manager, bool force, TypeSchema schema, DateTimeOffset now, string? subresource = null)
        => throw new NotImplementedException();

    /// <summary>
    /// Records, for a non-apply write (create, update, patch), that <paramref name="manager"/> now owns every field it
    /// changed or added (operation "Update"), taking those fields away from other managers. Returns <paramref name="after"/>
    /// with metadata.managedFields updated.
    /// </summary>
    public static JsonObject RecordUpdate(JsonObject? before, JsonObject after, string manager, TypeSchema schema, DateTimeOffset now, string? subresource = null)
        => throw new NotImplementedException();
}
