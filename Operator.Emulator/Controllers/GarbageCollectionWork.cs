// Which objects the garbage collector must look at after a change. Invariant: every object whose verdict a change
// can alter is marked by that change: the object itself (deleting, or owned), the dependents of an object that
// disappeared, the owners an object stopped (or started) depending on, or blocking, while they wait in foreground deletion, and
// the namespace an object left. Each object is marked at most once until taken, in the order first marked.
using Operator.Emulator.Storage;

namespace Operator.Emulator.Controllers;

/// <summary>The garbage collector's queue of objects to judge.</summary>
internal sealed class GarbageCollectionWork
{
    private static readonly GroupResource Namespaces = new(string.Empty, "namespaces");

    private readonly HashSet<ObjectRef> marked = [];
    private List<ObjectRef> order = [];

    public bool IsEmpty => order.Count == 0;

    /// <summary>Marks what needs a look in a store the collector has not watched before.</summary>
    public void AddStartingState(StoreSnapshot snapshot)
    {
        foreach (var item in snapshot.AllItems().Where(item => item.Deleting || item.OwnerUids.Count > 0))
        {
            Mark(new ObjectRef(item.Type, item.Key));
        }
    }

    /// <summary>
    /// Marks what <paramref name="change"/> can affect. The store is asked for a snapshot (that includes the change)
    /// only when the answer depends on other objects: most changes concern no owner and cost no lookup.
    /// </summary>
    public void Add(WatchEvent change, ObjectStore store)
    {
        var item = change.Object;
        var previousOwners = change.Previous?.OwnerUids ?? [];
        if (change.Type == WatchEventType.Deleted)
        {
            var snapshot = store.SnapshotIncluding(change.ResourceVersion);
            foreach (var dependent in snapshot.DependentsOf(item.Uid))
            {
                Mark(new ObjectRef(dependent.Type, dependent.Key));
            }

            MarkOwners(item.OwnerUids, snapshot);
            if (item.Key.Namespace.Length > 0)
            {
                Mark(new ObjectRef(Namespaces, new ObjectKey(string.Empty, item.Key.Namespace)));
            }

            return;
        }

        if (item.Deleting || item.OwnerUids.Count > 0)
        {
            Mark(new ObjectRef(item.Type, item.Key));
        }

        var previousBlocking = change.Previous?.BlockingOwnerUids ?? [];
        if (!previousOwners.SequenceEqual(item.OwnerUids, StringComparer.Ordinal)
            || !previousBlocking.SequenceEqual(item.BlockingOwnerUids, StringComparer.Ordinal))
        {
            // Owners waiting for their dependents (foreground) must see one leave, arrive, or stop blocking.
            MarkOwners(previousOwners.Union(item.OwnerUids, StringComparer.Ordinal), store.SnapshotIncluding(change.ResourceVersion));
        }
    }

    public void AddAll(IEnumerable<ObjectRef> references)
    {
        foreach (var reference in references)
        {
            Mark(reference);
        }
    }

    /// <summary>Everything marked, in marking order; the queue is empty afterwards.</summary>
    public IReadOnlyList<ObjectRef> Take()
    {
        var taken = order;
        order = [];
        marked.Clear();
        return taken;
    }

    private void MarkOwners(IEnumerable<string> ownerUids, StoreSnapshot snapshot)
    {
        foreach (var uid in ownerUids)
        {
            if (snapshot.FindByUid(uid) is { Deleting: true } owner)
            {
                Mark(new ObjectRef(owner.Type, owner.Key));
            }
        }
    }

    private void Mark(ObjectRef reference)
    {
        if (marked.Add(reference))
        {
            order.Add(reference);
        }
    }
}
