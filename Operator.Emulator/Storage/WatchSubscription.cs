// Invariant: a subscription sees every committed event of its collection (and namespace) with a resourceVersion
// greater than its start, exactly once and in order: the replayed events first, then live ones from the channel.
using System.Threading.Channels;

namespace Operator.Emulator.Storage;

/// <summary>A registered watcher of one collection (or of every collection, when <see cref="Type"/> is null).</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> channel = Channel.CreateUnbounded<WatchEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly Action<WatchSubscription> unregister;

    internal WatchSubscription(GroupResource? type, string? inNamespace, IReadOnlyList<WatchEvent> replay, long startResourceVersion, Action<WatchSubscription> unregister)
    {
        Type = type;
        Namespace = inNamespace;
        Replay = replay;
        StartResourceVersion = startResourceVersion;
        this.unregister = unregister;
    }

    public GroupResource? Type { get; }

    public string? Namespace { get; }

    /// <summary>Events that happened before the subscription was registered, to be sent first.</summary>
    public IReadOnlyList<WatchEvent> Replay { get; }

    /// <summary>The store's resourceVersion when the subscription was registered.</summary>
    public long StartResourceVersion { get; }

    /// <summary>Live events, in commit order.</summary>
    public ChannelReader<WatchEvent> Events => channel.Reader;

    internal bool Accepts(WatchEvent change) =>
        (Type is null || Type == change.Object.Type) && (Namespace is null || Namespace == change.Object.Key.Namespace);

    internal void Publish(WatchEvent change) => channel.Writer.TryWrite(change);

    public void Dispose()
    {
        unregister(this);
        channel.Writer.TryComplete();
    }
}
