namespace Operator.Cli;

/// <summary>Routes the offline commands (no cluster needed); anything else starts the operator.</summary>
internal static class CliCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "render" or "crd" or "help" or "--help" or "-h";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var rest = args[1..];
        switch (args[0])
        {
            case "crd": return await CrdCommand.RunAsync(rest, stdout, stderr).ConfigureAwait(false);
            case "render": return await RenderCommand.RunAsync(rest, stdout, stderr).ConfigureAwait(false);
            default:
                await stdout.WriteLineAsync($"""
                    usage: celery-operator [COMMAND]
                    Without a command, runs the operator against the cluster in the kubeconfig or the pod's service account.
                      {RenderCommand.Usage}
                      {CrdCommand.Usage}
                    """).ConfigureAwait(false);
                return 0;
        }
    }
}
