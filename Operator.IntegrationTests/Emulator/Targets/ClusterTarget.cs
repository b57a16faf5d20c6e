// What a conformance fixture runs against. Invariants: a target that cannot run here says why (Unavailable) and is
// then skipped with that message, never silently passed; every session it opens is isolated from the previous
// ones (a fresh emulator, or fresh namespaces on a shared real cluster).
namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>A Kubernetes API server the conformance suite can be pointed at.</summary>
public abstract class ClusterTarget
{
    /// <summary>Short name shown in test names: "emulator", "k3s".</summary>
    public abstract string Name { get; }

    /// <summary>Why this target cannot run in this environment; null when it can.</summary>
    public abstract string? Unavailable { get; }

    /// <summary>How long asynchronous cluster work (garbage collection, namespace finalization) may take.</summary>
    public abstract TimeSpan SettleTimeout { get; }

    /// <summary>How long an idle watch with allowWatchBookmarks may wait for its first BOOKMARK.</summary>
    public abstract TimeSpan BookmarkWait { get; }

    internal abstract Task<ClusterSession> OpenSessionAsync(CancellationToken cancellationToken);

    public override string ToString() => Name;
}
