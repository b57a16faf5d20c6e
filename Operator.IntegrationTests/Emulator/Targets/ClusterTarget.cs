// What a conformance fixture runs against. Invariants: a target that cannot run here says why (Unavailable) and is
// then skipped with that message, never silently passed; every session it opens is isolated from the previous
// ones (a fresh emulator, or fresh namespaces on a shared real cluster).
namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>A Kubernetes API server the conformance suite can be pointed at.</summary>
public abstract class ClusterTarget
{
    /// <summary>Short name shown in test names: "emulator", "emulator-process", "kubeconfig", "k3s".</summary>
    public abstract string Name { get; }

    /// <summary>The NUnit category of this target's fixtures, for --filter.</summary>
    public abstract string Category { get; }

    /// <summary>Why this target cannot run in this environment; null when it can.</summary>
    public abstract string? Unavailable { get; }

    /// <summary>How long asynchronous cluster work (garbage collection, namespace finalization) may take.</summary>
    public abstract TimeSpan SettleTimeout { get; }

    /// <summary>How long an idle watch with allowWatchBookmarks may wait for its first BOOKMARK.</summary>
    public abstract TimeSpan BookmarkWait { get; }

    /// <summary>
    /// True for the in-process emulator, whose fault injection, audit log and authorization decisions tests can
    /// read; tests marked <see cref="EmulatorOnlyAttribute"/> are skipped on every other target.
    /// </summary>
    public virtual bool InProcessEmulator => false;

    internal abstract Task<ClusterSession> OpenSessionAsync(CancellationToken cancellationToken);

    /// <summary>What the cluster's controllers do (probed once per cluster, within <see cref="SettleTimeout"/>).</summary>
    internal abstract Task<ClusterControllers> ControllersAsync(CancellationToken cancellationToken);

    public override string ToString() => Name;
}
