using Operator.Emulator.Authorization;

namespace Operator.Emulator.Hosting;

/// <summary>How the emulator runs. Defaults match what tests usually want.</summary>
public sealed record EmulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>How many recent events of each resource type are kept for watch replay; older resourceVersions get 410 Gone.</summary>
    public int WatchHistorySize { get; init; } = 10_000;

    /// <summary>How often a quiet watch with allowWatchBookmarks gets a BOOKMARK (kube-apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>When set, a simulated Deployment controller reports rollouts complete after this delay.</summary>
    public TimeSpan? DeploymentControllerDelay { get; init; }

    /// <summary>
    /// Defaulting, pruning, validation and managedFields bookkeeping on create/update. When false, objects are stored
    /// as sent (patches still use the patch engine).
    /// </summary>
    public bool EnforceSchemas { get; init; } = true;

    /// <summary>
    /// How requests are authorized: everything allowed (the default), or by the RBAC objects in the store, as
    /// kube-apiserver's --authorization-mode=RBAC does. Members of system:masters are always allowed.
    /// </summary>
    public AuthorizationMode Authorization { get; init; } = AuthorizationMode.AlwaysAllow;

    /// <summary>Objects the emulator creates at start: these namespaces.</summary>
    public IReadOnlyList<string> InitialNamespaces { get; init; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>IPv4 CIDR Services take cluster IPs from (kube-apiserver's --service-cluster-ip-range); its first address is the `kubernetes` Service's.</summary>
    public string ServiceClusterIpRange { get; init; } = "10.96.0.0/12";

    /// <summary>Clock for timestamps, ages and delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Least severe log level written (to the console).</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Where logs go; when null a console logger at <see cref="MinimumLogLevel"/> is used.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
