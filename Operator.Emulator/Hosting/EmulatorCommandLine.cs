// The emulator executable's command line, parsed by System.CommandLine. Invariants: every option has one value
// (--no-schemas none) and a default that help prints and Parse accepts back; a bad value or an unknown option is an
// error naming the option and the value, never a default silently used; --help anywhere asks for usage.
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using Operator.Emulator.Authorization;
using Operator.Primitives;

namespace Operator.Emulator.Hosting;

/// <summary>Parses the emulator executable's arguments; <see cref="ShowHelp"/> when it was asked for usage.</summary>
public sealed record EmulatorCommandLine(EmulatorOptions? Options, string? KubeconfigPath, string User, string? Error, bool ShowHelp = false)
{
    private const string DefaultUser = "admin";

    // One line per option, so a line names an option, its value and its default, as a reader greps it.
    private const int HelpWidth = int.MaxValue;

    /// <summary>The executable's name, as usage and error messages give it.</summary>
    public const string Name = "Operator.Emulator";

    // The executable logs every request by default, so a person running it sees what clients do.
    private static readonly EmulatorOptions Defaults = new() { MinimumLogLevel = LogLevel.Information };

    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null };

    private static readonly Option<int> Port = new("--port")
    {
        Description = "TCP port on 127.0.0.1; 0 picks a free one",
        HelpName = "N",
        DefaultValueFactory = _ => Defaults.Port,
        CustomParser = result => ParseValue(result, (string text, out int port) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535, "a port number from 0 to 65535"),
    };

    private static readonly Option<string?> Kubeconfig = new("--kubeconfig")
    {
        Description = "write a kubeconfig for this server there (relative to the current folder); none written unless given",
        HelpName = "PATH",
    };

    private static readonly Option<string> UserName = new("--user")
    {
        Description = "the user that kubeconfig authenticates as",
        HelpName = "NAME",
        DefaultValueFactory = _ => DefaultUser,
    };

    private static readonly Option<TimeSpan?> DeploymentControllerDelay = new("--deployment-controller-delay")
    {
        Description = "simulate the Deployment controller: rollouts complete after this delay; off unless given",
        HelpName = "DURATION",
        CustomParser = result => ParseValue(result, (string text, out TimeSpan? delay) =>
        {
            var parsed = Duration.TryParse(text, out var value);
            delay = value;
            return parsed;
        }, $"a duration: {Duration.Syntax}"),
    };

    private static readonly Option<int> WatchHistory = new("--watch-history")
    {
        Description = "events kept for watch replay per resource type; older resourceVersions get 410 Gone",
        HelpName = "N",
        DefaultValueFactory = _ => Defaults.WatchHistorySize,
        CustomParser = result => ParseValue(result, (string text, out int size) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size > 0, "a number more than zero"),
    };

    private static readonly Option<TimeSpan> BookmarkInterval = new("--bookmark-interval")
    {
        Description = "how often a quiet watch gets a BOOKMARK",
        HelpName = "DURATION",
        DefaultValueFactory = _ => Defaults.BookmarkInterval,
        CustomParser = result => ParseValue(result, (string text, out TimeSpan interval) =>
            Duration.TryParse(text, out interval) && interval > TimeSpan.Zero, $"a duration more than zero: {Duration.Syntax}"),
    };

    private static readonly Option<LogLevel> LogLevelOption = new("--log-level")
    {
        Description = "least severe log level written (Trace, Debug, Information, Warning, Error)",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => Defaults.MinimumLogLevel,
        CustomParser = result => ParseValue(result, (string text, out LogLevel level) => TryParseName(text, out level), "Trace, Debug, Information, Warning, Error, Critical or None"),
    };

    private static readonly Option<bool> NoSchemas = new("--no-schemas")
    {
        Description = "store objects as sent: no defaulting, pruning or validation; schemas are enforced unless given",
        Arity = ArgumentArity.Zero,
    };

    private static readonly Option<AuthorizationMode> AuthorizationModeOption = new("--authorization-mode")
    {
        Description = "AlwaysAllow, or RBAC: authorize requests by the Roles and bindings stored, as kube-apiserver does",
        HelpName = "MODE",
        DefaultValueFactory = _ => Defaults.Authorization,
        CustomParser = result => ParseValue(result, (string text, out AuthorizationMode mode) => TryParseName(text, out mode), "AlwaysAllow or RBAC"),
    };

    private static readonly Option<string> ServiceClusterIpRange = new("--service-cluster-ip-range")
    {
        Description = "IPv4 range Services get cluster IPs from",
        HelpName = "CIDR",
        DefaultValueFactory = _ => Defaults.ServiceClusterIpRange,
        CustomParser = result => ParseValue(result, (string text, out string range) =>
        {
            range = text;
            return IsIpv4Range(text);
        }, "an IPv4 CIDR such as 10.96.0.0/12"),
    };

    private static readonly Command Command = CreateCommand();

    private delegate bool TryParseValue<T>(string text, out T value);

    /// <summary>Usage: every option, its value and its default, as --help prints it.</summary>
    public static string Usage { get; } = WriteUsage();

    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parsed = Command.Parse(args, Parsing);
        if (parsed.Action is HelpAction)
        {
            return new EmulatorCommandLine(null, null, DefaultUser, null, ShowHelp: true);
        }

        if (parsed.Errors.Count > 0)
        {
            return new EmulatorCommandLine(null, null, DefaultUser, string.Join('\n', parsed.Errors.Select(e => e.Message)));
        }

        var options = Defaults with
        {
            Port = parsed.GetValue(Port),
            DeploymentControllerDelay = parsed.GetValue(DeploymentControllerDelay) ?? Defaults.DeploymentControllerDelay,
            WatchHistorySize = parsed.GetValue(WatchHistory),
            BookmarkInterval = parsed.GetValue(BookmarkInterval),
            MinimumLogLevel = parsed.GetValue(LogLevelOption),
            EnforceSchemas = !parsed.GetValue(NoSchemas),
            Authorization = parsed.GetValue(AuthorizationModeOption),
            ServiceClusterIpRange = parsed.GetRequiredValue(ServiceClusterIpRange),
        };
        return new EmulatorCommandLine(options, parsed.GetValue(Kubeconfig), parsed.GetRequiredValue(UserName), null);
    }

    private static Command CreateCommand()
    {
        var command = new Command(Name, $"The Kubernetes API emulator: serves until interrupted (Ctrl+C or SIGTERM). DURATION is {Duration.Syntax}.")
        {
            Port, Kubeconfig, UserName, DeploymentControllerDelay, WatchHistory, BookmarkInterval, LogLevelOption, NoSchemas, AuthorizationModeOption, ServiceClusterIpRange,
        };
        var help = new HelpOption();
        ((HelpAction)help.Action!).MaxWidth = HelpWidth;
        command.Add(help);
        return command;
    }

    private static string WriteUsage()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Command.Parse(["--help"], Parsing).Invoke(new InvocationConfiguration { Output = text, Error = text, ProcessTerminationTimeout = null });
        return text.ToString().TrimEnd('\n');
    }

    // One value; a value the option does not accept is an error naming both, as the old parser's message did.
    private static T ParseValue<T>(ArgumentResult result, TryParseValue<T> tryParse, string expected)
    {
        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (tryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"{name} {text}: expected {expected}");
        return default!;
    }

    // A member's name, case-insensitive (or its number, as Enum.TryParse reads it), never an undefined value.
    private static bool TryParseName<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);

    private static bool IsIpv4Range(string value)
    {
        try
        {
            _ = new Api.ClusterIpAllocator(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
