// Everything one reconcile of a live resource reads, in a form cheap to keep and compare: the resource's
// resourceVersion (its spec, metadata and status), a 128-bit hash of the identity and resourceVersion of every
// cached child it controls (the Deployments and claims the status reports are among them), the facts gathered for it
// (the resolved broker, which BrokerSecrets re-resolves only when a referenced Secret changed, and whether the optional
// APIs are served), and the backlog reader's and builtin scaler's last observations (and whether the reader has read
// at all since the operator started). Invariant: two inputs Match only
// when a reconcile of the one would read what a reconcile of the other read; where equality is not cheap to decide
// (an observation) it is decided as the status would see it (SameStatusAs), and anything uncertain compares unequal, so
// a false "changed" costs one full reconcile and a false "unchanged" cannot happen short of a 128-bit collision.
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Operator.Celery.Backlog;
using Operator.Celery.Model;
using Operator.Celery.Scaling;

namespace Operator.Celery.Reconciliation;

/// <summary>What a reconcile of one resource read from the caches and the facts it gathered.</summary>
public sealed record ReconcileInputs(
    string? ResourceVersion,
    UInt128 Children,
    ReconcileFacts Facts,
    BacklogObservation? Backlog,
    IReadOnlyDictionary<string, GroupScaling>? Scaling)
{
    /// <summary>Whether the backlog reader had not yet ended its first pass (status then keeps the backlog it shows).</summary>
    public bool BacklogPending { get; init; }

    /// <summary>The inputs of a reconcile of <paramref name="resource"/>.</summary>
    public static ReconcileInputs Of(CeleryResource resource, IReadOnlyList<ObservedChild> children, ReconcileFacts facts, BacklogObservation? backlog, IReadOnlyDictionary<string, GroupScaling>? scaling)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(children);
        ArgumentNullException.ThrowIfNull(facts);
        return new(resource.Metadata.ResourceVersion, HashOf(children), facts, backlog, scaling);
    }

    /// <summary>Whether a reconcile with these inputs would read what one with <paramref name="other"/> read.</summary>
    public bool Matches(ReconcileInputs other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ResourceVersion is not null
            && string.Equals(ResourceVersion, other.ResourceVersion, StringComparison.Ordinal)
            && Children == other.Children
            && BacklogPending == other.BacklogPending
            && SameFacts(Facts, other.Facts)
            && SameBacklog(Backlog, other.Backlog)
            && GroupScaling.SameStatusAs(Scaling, other.Scaling);
    }

    private static bool SameFacts(ReconcileFacts a, ReconcileFacts b) =>
        ReferenceEquals(a, b)
        || (Equals(a.Broker, b.Broker)
            && a.KedaServed == b.KedaServed
            && a.ServiceMonitorServed == b.ServiceMonitorServed
            && (ReferenceEquals(a.BrokerProblems, b.BrokerProblems) || a.BrokerProblems.SequenceEqual(b.BrokerProblems)));

    private static bool SameBacklog(BacklogObservation? a, BacklogObservation? b) =>
        ReferenceEquals(a, b) || (a is not null && a.SameStatusAs(b));

    // Kind, uid and resourceVersion of each child, each followed by a separator no name or version contains, in the
    // caches' order (a different order only makes two equal sets compare unequal).
    private static UInt128 HashOf(IReadOnlyList<ObservedChild> children)
    {
        var hash = new XxHash128();
        foreach (var child in children)
        {
            Append(hash, child.Resource.Group);
            Append(hash, child.Resource.Kind);
            Append(hash, child.Object.Metadata.Uid);
            Append(hash, child.Object.Metadata.ResourceVersion);
        }

        return hash.GetCurrentHashAsUInt128();
    }

    private static void Append(XxHash128 hash, string? value)
    {
        hash.Append(MemoryMarshal.AsBytes((value ?? string.Empty).AsSpan()));
        hash.Append("\n"u8);
    }
}
