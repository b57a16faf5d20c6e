// One x-kubernetes-validations entry of a CRD schema node, compiled once when the schema is read.
// Invariants: Program is null exactly when CompileError is set (a rule that does not compile fails every object it
// applies to with "rule compile error", as kube-apiserver reports a rule it could not compile); UsesOldSelf is true
// when the rule names the identifier oldSelf (a transition rule), which only runs where an old value correlates.
using Cel;

namespace Operator.Emulator.Schema.Cel;

/// <summary>The reason a failed rule reports (x-kubernetes-validations[].reason).</summary>
public enum RuleReason
{
    FieldValueInvalid,
    FieldValueForbidden,
    FieldValueRequired,
    FieldValueDuplicate,
}

/// <summary>A compiled CEL validation rule of one schema node.</summary>
public sealed record ValidationRule
{
    /// <summary>The CEL expression; true means valid.</summary>
    public required string Rule { get; init; }

    /// <summary>Message reported when the rule fails; null for kube-apiserver's default "failed rule: {rule}".</summary>
    public string? Message { get; init; }

    /// <summary>CEL expression producing the failure message; falls back to Message when it fails or is empty.</summary>
    public string? MessageExpression { get; init; }

    /// <summary>Path appended to the node's path in the error (fieldPath without its leading dot), or null.</summary>
    public string? FieldPath { get; init; }

    public RuleReason Reason { get; init; } = RuleReason.FieldValueInvalid;

    /// <summary>optionalOldSelf: the rule also runs on create, with oldSelf an absent optional.</summary>
    public bool OptionalOldSelf { get; init; }

    public bool UsesOldSelf { get; init; }

    internal CelProgramDelegate? Program { get; init; }

    internal CelProgramDelegate? MessageProgram { get; init; }

    /// <summary>Why the rule or its messageExpression did not compile; null when both did.</summary>
    public string? CompileError { get; init; }

    /// <summary>kube-apiserver's text for the rule in error messages: its message, else the rule itself.</summary>
    public string ErrorText => string.IsNullOrWhiteSpace(Message) ? Rule.Trim() : Message.Trim();

    /// <summary>The message of a failed rule when no messageExpression produced one.</summary>
    public string MessageOrDefault => string.IsNullOrWhiteSpace(Message) ? $"failed rule: {Rule.Trim()}" : Message.Trim();
}
