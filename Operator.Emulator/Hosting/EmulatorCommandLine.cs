using System.Globalization;
using Operator.Primitives;

namespace Operator.Emulator.Hosting;

/// <summary>Parses the emulator executable's arguments; <see cref="ShowHelp"/> when it was asked for usage.</summary>
public sealed record EmulatorCommandLine(EmulatorOptions? Options, string? KubeconfigPath, string User, string? Error, bool ShowHelp = false)
{
    private const string DefaultUser = "admin";

    // The executable logs every request by default, so a person running it sees what clients do.
    private static readonly EmulatorOptions Defaults = new() { MinimumLogLevel = LogLevel.Information };

    /// <summary>Every option, with its default read from <see cref="Defaults"/>; Parse accepts exactly these.</summary>
    internal static readonly (string Flag, string Value, string Description, string Default)[] Flags =
    [
        ("--port", "N", "TCP port on 127.0.0.1; 0 picks a free one", Defaults.Port.ToString(CultureInfo.InvariantCulture)),
        ("--kubeconfig", "PATH", "write a kubeconfig for this server there (relative to the current folder)", "none written"),
        ("--user", "NAME", "the user that kubeconfig authenticates as", DefaultUser),
        ("--deployment-controller-delay", "DURATION", "simulate the Deployment controller: rollouts complete after this delay", Defaults.DeploymentControllerDelay?.ToString() ?? "off"),
        ("--watch-history", "N", "events kept for watch replay per resource type; older resourceVersions get 410 Gone", Defaults.WatchHistorySize.ToString(CultureInfo.InvariantCulture)),
        ("--bookmark-interval", "DURATION", "how often a quiet watch gets a BOOKMARK", Defaults.BookmarkInterval.ToString("c", CultureInfo.InvariantCulture)),
        ("--log-level", "LEVEL", "least severe log level written (Trace, Debug, Information, Warning, Error)", Defaults.MinimumLogLevel.ToString()),
        ("--no-schemas", "", "store objects as sent: no defaulting, pruning or validation", Defaults.EnforceSchemas ? "schemas enforced" : "off"),
        ("--authorization-mode", "MODE", "AlwaysAllow, or RBAC: authorize requests by the Roles and bindings stored, as kube-apiserver does", Defaults.Authorization.ToString()),
        ("--service-cluster-ip-range", "CIDR", "IPv4 range Services get cluster IPs from", Defaults.ServiceClusterIpRange),
        ("--help", "", "print this and exit", ""),
    ];

    /// <summary>Usage: every option, its value and its default (DURATION in <see cref="Duration.Syntax"/>).</summary>
    public static string Usage { get; } =
        $"usage: Operator.Emulator [OPTIONS]   (DURATION: {Duration.Syntax})\n" + string.Join('\n', Flags.Select(o =>
            $"  {(o.Value.Length == 0 ? o.Flag : $"{o.Flag} {o.Value}"),-40}{o.Description}{(o.Default.Length == 0 ? "" : $" (default: {o.Default})")}"));

    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is "--help" or "-h"))
        {
            return new EmulatorCommandLine(null, null, DefaultUser, null, ShowHelp: true);
        }

        var options = Defaults;
        string? kubeconfig = null;
        var user = DefaultUser;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--no-schemas")
            {
                options = options with { EnforceSchemas = false };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return Failed($"{name} needs a value");
            }

            var value = args[++i];
            switch (name)
            {
                case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535:
                    options = options with { Port = port };
                    break;
                case "--kubeconfig":
                    kubeconfig = value;
                    break;
                case "--user":
                    user = value;
                    break;
                case "--deployment-controller-delay" when Duration.TryParse(value, out var delay):
                    options = options with { DeploymentControllerDelay = delay };
                    break;
                case "--bookmark-interval" when Duration.TryParse(value, out var interval) && interval > TimeSpan.Zero:
                    options = options with { BookmarkInterval = interval };
                    break;
                case "--watch-history" when int.TryParse(value, CultureInfo.InvariantCulture, out var size) && size > 0:
                    options = options with { WatchHistorySize = size };
                    break;
                case "--authorization-mode" when Enum.TryParse<Authorization.AuthorizationMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode):
                    options = options with { Authorization = mode };
                    break;
                case "--service-cluster-ip-range" when IsIpv4Range(value):
                    options = options with { ServiceClusterIpRange = value };
                    break;
                case "--log-level" when Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level):
                    options = options with { MinimumLogLevel = level };
                    break;
                default:
                    return Failed($"unknown argument or bad value: {name} {value}");
            }
        }

        return new EmulatorCommandLine(options, kubeconfig, user, null);
    }

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

    private static EmulatorCommandLine Failed(string error) => new(null, null, DefaultUser, error);
}
