namespace Operator.Emulator.Selectors;

/// <summary>A label or field selector that does not parse (answered with 400 BadRequest).</summary>
public sealed class SelectorException(string message) : Exception(message);
