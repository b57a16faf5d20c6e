namespace Operator.Cli;

/// <summary>Routes the offline commands (no cluster needed); anything else starts the operator.</summary>
internal static class CliCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "render" or "crd" or "help" or "--help" or "-h";

    /// <summary>Asks for usage anywhere among the operator's settings (a command's own arguments are its business).</summary>
    public static bool AsksForHelp(string[] args) => args.Length > 0 && !IsCommand(args) && args.Any(a => a is "--help" or "-h");

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
                    usage: celery-operator [COMMAND] [SETTINGS]
                    Without a command, runs the operator. It finds its cluster as kubectl does: --kubeconfig, then
                    KUBECONFIG (a ':'-separated list, merged), then the pod's service account, then ~/.kube/config.
                    Commands (offline, no cluster needed):
                      {RenderCommand.Usage}
                      {CrdCommand.Usage}
                      help, --help, -h  print this
                    """).ConfigureAwait(false);
                await stdout.WriteAsync(Runtime.Hosting.SettingsUsage.Write(Celery.CeleryControllerModule.ConfigurationSections)).ConfigureAwait(false);
                return 0;
        }
    }
}
