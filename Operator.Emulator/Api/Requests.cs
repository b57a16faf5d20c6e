using System.Text.Json.Nodes;
using Operator.Emulator.Selectors;

namespace Operator.Emulator.Api;

/// <summary>
/// Options of a write: who writes (field manager), whether to persist, the check a write that turns out to create
/// its object must pass (throwing to refuse; null when the writer may create), what to do with undeclared fields
/// (the emulator's own writes ignore them), where to put the warnings the write produces (null: nowhere), and the
/// keys the request body repeats, which fieldValidation treats as it treats undeclared fields.
/// </summary>
public sealed record WriteRequest(
    string Manager,
    bool DryRun = false,
    bool Force = false,
    Action? AuthorizeCreate = null,
    FieldValidation Validation = FieldValidation.Ignore,
    ICollection<string>? Warnings = null)
{
    public DuplicateKeys Duplicates { get; init; } = DuplicateKeys.None;
}

/// <summary>Options of a list.</summary>
public sealed record ListRequest(LabelSelector Labels, FieldSelector Fields, int? Limit = null, string? Continue = null)
{
    public static ListRequest Everything { get; } = new(LabelSelector.Everything, FieldSelector.Everything);
}

/// <summary>Options of a delete (query parameters merged with a DeleteOptions body).</summary>
public sealed record DeleteRequest(string? PropagationPolicy = null, string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false);

public enum PatchType
{
    Merge,
    Json,
    Strategic,
    Apply,
}

/// <summary>A patch document and its type.</summary>
public sealed record PatchRequest(PatchType Type, JsonNode Patch);
