// The shared setting of the process scenarios (crash, fail-over, graceful shutdown): an in-process emulator with
// the CRDs, a fleet created before any operator runs, API latency so convergence takes long enough to be
// interrupted, and audit-log views per operator process. Every process authenticates as its own emulator user,
// so "who wrote what when" is read straight from the audit log.
using Operator.Emulator.Audit;

namespace Operator.IntegrationTests.Chaos;

/// <summary>Cluster, fleet and audit helpers for scenarios with real operator processes.</summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    public const string LeaseName = "celery-operator";

    /// <summary>Starting a .NET process and syncing its informers on a busy 2-core machine.</summary>
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(40);
    private static readonly HashSet<string> ChildResources = new(StringComparer.Ordinal) { "deployments", "services", "ingresses", "poddisruptionbudgets", "horizontalpodautoscalers", "secrets" };
    private readonly List<OperatorProcess> processes = [];

    private ProcessCluster(InProcessOperator cluster, CeleryFleet fleet)
    {
        Cluster = cluster;
        Fleet = fleet;
    }

    public InProcessOperator Cluster { get; }

    public CeleryFleet Fleet { get; }

    public Kubernetes Client => Cluster.Client;

    public AuditLog Audit => Cluster.Session.Emulator.Audit;

    public static async Task<ProcessCluster> StartAsync(int resources)
    {
        var cluster = await InProcessOperator.StartClusterAsync();
        var fleet = new CeleryFleet(cluster.Client, ChaosScale.Seed);
        await fleet.CreateNamespacesAsync(resources);
        await fleet.CreateAsync(resources);
        return new ProcessCluster(cluster, fleet);
    }

    public OperatorProcess StartOperator(string user)
    {
        var process = OperatorProcess.Start(Cluster.Session.Emulator, user);
        processes.Add(process);
        return process;
    }

    public async Task<string?> LeaseHolderAsync()
    {
        try
        {
            return (await Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, "default")).Spec.HolderIdentity;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task WaitForHolderAsync(string identity, TimeSpan timeout, OperatorProcess? candidate = null)
    {
        string? holder = null;
        return Eventually.TrueAsync(async () => (holder = await LeaseHolderAsync()) == identity, $"{identity} takes the lease", timeout, () => $"holder: {holder}; its log:\n{candidate?.RecentLog}");
    }

    /// <summary>Writes (not counting the Lease) one operator user made, oldest first.</summary>
    public IReadOnlyList<AuditEntry> WritesBy(string user) => Audit.Where(e => e.IsWrite && e.User == user && e.Resource != "leases");

    /// <summary>Successful writes one user made to children.</summary>
    public IReadOnlyList<AuditEntry> ChildWritesBy(string user) =>
        [.. WritesBy(user).Where(e => ChildResources.Contains(e.Resource) && e.Subresource is null && e.StatusCode < 300)];

    /// <summary>
    /// At no moment did two operator processes write: each user's writes (except the Lease) all come after the
    /// previous user's last write, in the order the processes led.
    /// </summary>
    public void AssertWritersNeverOverlap(params string[] usersInOrder)
    {
        for (var i = 1; i < usersInOrder.Length; i++)
        {
            var earlier = WritesBy(usersInOrder[i - 1]);
            var later = WritesBy(usersInOrder[i]);
            if (earlier.Count == 0 || later.Count == 0)
            {
                continue;
            }

            Assert.That(later[0].Time, Is.GreaterThanOrEqualTo(earlier[^1].Time),
                $"{usersInOrder[i]} wrote {later[0].Resource} {later[0].Namespace}/{later[0].Name} at {later[0].Time:O} before {usersInOrder[i - 1]}'s last write at {earlier[^1].Time:O}");
        }
    }

    /// <summary>Successful creates per child: a child created twice would mean a duplicate.</summary>
    public void AssertNoChildCreatedTwice()
    {
        var created = Audit.Where(e => e.User.StartsWith("operator-", StringComparison.Ordinal) && ChildResources.Contains(e.Resource) && e.StatusCode == 201)
            .GroupBy(e => (e.Resource, e.Namespace, e.Name))
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Resource} {g.Key.Namespace}/{g.Key.Name} x{g.Count()}")
            .ToList();
        Assert.That(created, Is.Empty, "children created more than once");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        await Cluster.DisposeAsync();
    }
}
