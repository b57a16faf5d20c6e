// The operator executable's command line, parsed by System.CommandLine. Invariants: without a command it runs the
// operator and hands the arguments, unchanged and in their order, to the host's configuration (so `--Key=value`,
// `--Key value` and `Key=value` overrides keep Microsoft.Extensions.Configuration's meaning, and a later one wins);
// only `--kubeconfig` and `--context` are declared, for help and for a missing value. The offline commands (render,
// crd, help) never touch a cluster. Usage errors print one line each and exit 2; --help anywhere prints usage
// and exits 0. Termination signals are left to the host, which drains and releases its lease.
using System.CommandLine;
using System.CommandLine.Help;
using Operator.Runtime.Hosting;

namespace Operator.Cli;

/// <summary>Parses the operator's arguments and runs the command they name.</summary>
internal static class OperatorCommandLine
{
    public const string Name = "celery-operator";

    /// <summary>Exit code of a usage error (unknown option, missing or bad value), as for the offline commands.</summary>
    public const int UsageError = 2;

    // One line per option and setting, so a line names it, its value and its default, as a reader greps it.
    private const int HelpWidth = int.MaxValue;

    private static readonly ParserConfiguration Parsing = new()
    {
        // A configuration value may start with '@'; it is a value, never a file of further arguments.
        ResponseFileTokenReplacer = null,
    };

    /// <summary>Parses <paramref name="args"/> and runs what they name; the process exit code.</summary>
    /// <param name="runOperator">Runs the operator with its configuration arguments (the host's exit code).</param>
    public static async Task<int> InvokeAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        Func<string[], CancellationToken, Task<int>> runOperator,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(runOperator);
        var parsed = Parse(args, runOperator);
        var command = parsed.CommandResult.Command;
        // The root's unmatched arguments are settings; System.CommandLine reads that rule from the root for every
        // command, so an offline command's unknown arguments are reported here.
        var errors = parsed.Errors.Select(e => e.Message)
            .Concat(command.Name == Name ? [] : parsed.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."))
            .ToList();
        if (errors.Count > 0 && parsed.Action is not { ClearsParseErrors: true })
        {
            var path = command.Name == Name ? Name : $"{Name} {command.Name}";
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"{path}: {error}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync($"Run '{path} --help' for usage.").ConfigureAwait(false);
            return UsageError;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // The host handles SIGTERM and Ctrl+C itself: it drains in-flight reconciles and releases the lease,
            // which must not be cut short by the parser's own termination timeout.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The parse of <paramref name="args"/>: which command runs, its values, and any usage errors.</summary>
    public static ParseResult Parse(string[] args, Func<string[], CancellationToken, Task<int>> runOperator)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(runOperator);
        return Create(args, runOperator).Parse(args, Parsing);
    }

    private static Command Create(string[] args, Func<string[], CancellationToken, Task<int>> runOperator)
    {
        var root = new Command(Name,
            "Without a command, runs the operator. It finds its cluster as kubectl does: --kubeconfig, then KUBECONFIG " +
            "(a ':'-separated list, merged), then the pod's service account, then ~/.kube/config. Every setting below " +
            "may be given as an argument (--Key=value, --Key value or Key=value); the last one given wins.")
        {
            // Settings are open-ended (any configuration key, e.g. Logging:LogLevel:Default): they are the additional
            // arguments, which the host binds. (A declared argument would also show in every command's usage.)
            TreatUnmatchedTokensAsErrors = false,
        };
        var help = new HelpOption();
        help.Action = new SettingsHelpAction(root, new HelpAction { MaxWidth = HelpWidth });
        root.Add(help);
        foreach (var (flag, key) in OperatorHost.CommandLineFlags)
        {
            // Declared so help lists them and a missing value is an error; the host maps them to their keys.
            root.Add(new Option<string>(flag) { Description = $"sets {key}", HelpName = flag == "--kubeconfig" ? "FILE" : "NAME" });
        }

        root.Add(RenderCommand.Create());
        root.Add(CrdCommand.Create());
        var usage = new Command("help", "print this");
        usage.SetAction(parseResult => root.Parse(["--help"], Parsing).Invoke(parseResult.InvocationConfiguration));
        root.Add(usage);
        root.SetAction((_, cancellationToken) => runOperator(args, cancellationToken));
        return root;
    }
}
