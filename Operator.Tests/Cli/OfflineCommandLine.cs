using Operator.Cli;

namespace Operator.Tests.Cli;

/// <summary>The operator's command line with no cluster behind it: an offline command runs, the operator never starts.</summary>
internal static class OfflineCommandLine
{
    /// <summary>Runs <paramref name="args"/> as the executable would; the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        OperatorCommandLine.InvokeAsync(args, stdout, stderr, (_, _) => throw new AssertionException($"'{string.Join(' ', args)}' started the operator"));
}
