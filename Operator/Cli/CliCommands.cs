namespace Operator.Cli;

/// <summary>Entry point of the offline commands. Replaced by the foundation work.</summary>
internal static class CliCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "render" or "crd";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine($"'{args[0]}' is not implemented yet.");
        return Task.FromResult(2);
    }
}
