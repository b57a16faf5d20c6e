namespace Operator.Emulator.Api;

/// <summary>One entry of a Status' details.causes (reason such as FieldValueInvalid or FieldManagerConflict).</summary>
public sealed record StatusCause(string Reason, string Message, string Field);
