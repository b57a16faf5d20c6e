using System.Globalization;

namespace Operator.Emulator.Hosting;

/// <summary>Parses the emulator executable's arguments.</summary>
public sealed record EmulatorCommandLine(EmulatorOptions? Options, string? KubeconfigPath, string User, string? Error)
{
    public const string Usage =
        "usage: Operator.Emulator [--port N] [--kubeconfig PATH] [--user NAME] [--deployment-controller-delay DURATION] " +
        "[--watch-history N] [--bookmark-interval DURATION] [--log-level Information|Warning|...] [--no-schemas] " +
        "[--authorization-mode AlwaysAllow|RBAC]   (DURATION: 500ms, 2s, 1m)";

    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        // The executable logs every request by default, so a person running it sees what clients do.
        var options = new EmulatorOptions { MinimumLogLevel = LogLevel.Information };
        string? kubeconfig = null;
        var user = "admin";
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
                case "--deployment-controller-delay" when Duration(value) is { } delay:
                    options = options with { DeploymentControllerDelay = delay };
                    break;
                case "--bookmark-interval" when Duration(value) is { } interval && interval > TimeSpan.Zero:
                    options = options with { BookmarkInterval = interval };
                    break;
                case "--watch-history" when int.TryParse(value, CultureInfo.InvariantCulture, out var size) && size > 0:
                    options = options with { WatchHistorySize = size };
                    break;
                case "--authorization-mode" when Enum.TryParse<Authorization.AuthorizationMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode):
                    options = options with { Authorization = mode };
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

    /// <summary>Parses "250ms", "2s", "1m", "1h" (or a plain number of seconds).</summary>
    public static TimeSpan? Duration(string text)
    {
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
            {
                return TimeSpan.FromSeconds(amount * seconds);
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain >= 0 ? TimeSpan.FromSeconds(plain) : null;
    }

    private static EmulatorCommandLine Failed(string error) => new(null, null, "admin", error);
}
