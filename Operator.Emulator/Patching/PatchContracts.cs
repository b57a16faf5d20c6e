// Contract between the emulator's API server (storage, HTTP) and its patch engine.
// The API server calls only these entry points; the patch engine owns their implementation. Each entry point's
// class is partial: its implementation lives in the file named after the class (JsonMergePatch.cs, JsonPatch.cs,
// StrategicMergePatch.cs, FieldManager.cs).
using System.Text.Json.Nodes;

namespace Operator.Emulator.Patching;

/// <summary>A patch the API server must reject; <see cref="StatusCode"/> is 400 (malformed) or 422 (invalid).</summary>
public sealed class PatchException(string message, int statusCode = 422) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>One field another manager owns with a different value than the applier asked for.</summary>
/// <param name="Path">The field in kube-apiserver's syntax: <c>.spec.replicas</c>, <c>.spec.template.spec.containers[name="app"].image</c>.</param>
/// <param name="Manager">The owning manager's name.</param>
public sealed record FieldConflict(string Path, string Manager)
{
    public string? ApiVersion { get; init; }

    /// <summary>Apply or Update: the operation through which <see cref="Manager"/> owns the field.</summary>
    public string? Operation { get; init; }

    /// <summary>The subresource the owner wrote through ("" for the main resource).</summary>
    public string Subresource { get; init; } = "";

    public string? Time { get; init; }

    /// <summary>
    /// How kube-apiserver names the owner in a conflict: "hpa" with subresource "scale" using apps/v1. Its manager
    /// identifier never holds a time, and an applier's holds no apiVersion, so neither is printed for them.
    /// </summary>
    public string DescribeManager()
    {
        var text = Quote(Manager);
        if (Subresource.Length > 0)
        {
            text += $" with subresource {Quote(Subresource)}";
        }

        return Operation == "Update" ? $"{text} using {ApiVersion}" : text;
    }

    /// <summary>
    /// The manager identifier kube-apiserver sorts conflict groups by: the JSON of the entry without time and fields
    /// (and, for an applier, without apiVersion), with the fields in ManagedFieldsEntry's order.
    /// </summary>
    public string ManagerIdentifier()
    {
        var identifier = new System.Text.Json.Nodes.JsonObject { ["manager"] = Manager, ["operation"] = Operation };
        if (Operation != "Apply" && ApiVersion is not null)
        {
            identifier["apiVersion"] = ApiVersion;
        }

        if (Subresource.Length > 0)
        {
            identifier["subresource"] = Subresource;
        }

        return identifier.ToJsonString();
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}

/// <summary>Result of a server-side apply: the merged object (with managedFields), or the conflicts that stopped it.</summary>
public sealed record ApplyOutcome(JsonObject? Result, IReadOnlyList<FieldConflict> Conflicts)
{
    public bool Succeeded => Result is not null && Conflicts.Count == 0;

    /// <summary>
    /// kube-apiserver's message for a 409 apply conflict: one conflict on one line; several grouped by owner (sorted by
    /// manager identifier) under "conflicts with OWNER:", one "- PATH" line each.
    /// </summary>
    public string ConflictMessage() => Describe(Conflicts);

    /// <inheritdoc cref="ConflictMessage"/>
    public static string Describe(IReadOnlyList<FieldConflict> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].DescribeManager()}: {conflicts[0].Path}";
        }

        var lines = conflicts
            .GroupBy(c => c.ManagerIdentifier())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.Select(c => $"- {c.Path}").Prepend($"conflicts with {g.First().DescribeManager()}:"));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}

/// <summary>RFC 7386 JSON merge patch.</summary>
/// <remarks>Entry point: <c>public static JsonNode? Apply(JsonNode? target, JsonNode? patch)</c>.</remarks>
public static partial class JsonMergePatch;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test).</summary>
/// <remarks>Entry point: <c>public static JsonNode? Apply(JsonNode? target, JsonArray operations)</c>; failures throw <see cref="PatchException"/>.</remarks>
public static partial class JsonPatch;

/// <summary>Kubernetes strategic merge patch, driven by the type's list-merge keys and patch directives.</summary>
/// <remarks>Entry point: <c>public static JsonNode Apply(JsonNode target, JsonNode patch, TypeSchema schema)</c>.</remarks>
public static partial class StrategicMergePatch;

/// <summary>Server-side apply and managedFields bookkeeping (FieldsV1).</summary>
/// <remarks>
/// Entry points: <c>public static ApplyOutcome Apply(JsonObject? live, JsonObject applied, string manager, bool force, TypeSchema schema, DateTimeOffset now, string? subresource = null)</c>
/// and <c>public static JsonObject RecordUpdate(JsonObject? before, JsonObject after, string manager, TypeSchema schema, DateTimeOffset now, string? subresource = null)</c>.
/// </remarks>
public static partial class FieldManager;
