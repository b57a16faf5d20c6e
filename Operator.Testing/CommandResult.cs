namespace Operator.Testing;

/// <summary>The outcome of a command run to completion (or stopped at its timeout).</summary>
public sealed record CommandResult(int? ExitCode, string Output)
{
    public bool TimedOut => ExitCode is null;

    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"{(TimedOut ? "timed out" : "exit " + ExitCode)}: {Output}";
}
