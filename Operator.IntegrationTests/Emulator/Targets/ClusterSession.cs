// One test's view of a cluster target. Invariants: the test works in its own two namespaces (Namespace,
// OtherNamespace), created here, named celery-operator-test-... and labelled TestNamespaceLabel so a leftover is
// obvious and one command deletes them all, so on a shared real cluster nothing another test (or the cluster itself) put
// elsewhere shows up in its namespaced lists and watches; queries across all namespaces select by RunLabel, which
// only this session's objects carry. Disposing deletes what the session created on a shared cluster, or stops the
// session's own emulator.

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>Clients, namespaces and helpers for one conformance test.</summary>
internal sealed class ClusterSession : IAsyncDisposable
{
    public const string RunLabelKey = "conformance-run";

    /// <summary>The start of every namespace the suites create on a cluster.</summary>
    public const string NamespacePrefix = "celery-operator-test-";

    /// <summary>The label on every namespace the suites create, valued with the session's id.</summary>
    public const string TestNamespaceLabel = "celeryproject.org/test-run";

    private readonly Func<string, Task<RawWatch>> openWatch;
    private readonly IAsyncDisposable? owned;
    private readonly List<string> createdNamespaces = [];

    private ClusterSession(ClusterTarget target, Kubernetes client, string kubeconfigPath, string id, Func<string, Task<RawWatch>> openWatch, IAsyncDisposable? owned)
    {
        Target = target;
        Client = client;
        RunLabel = id;
        Namespace = $"{NamespacePrefix}{id}";
        OtherNamespace = $"{NamespacePrefix}{id}-b";
        Kubectl = new KubectlRunner(kubeconfigPath, Namespace);
        this.openWatch = openWatch;
        this.owned = owned;
    }

    public ClusterTarget Target { get; }

    public Kubernetes Client { get; }

    /// <summary>kubectl with this session's namespace as its default.</summary>
    public KubectlRunner Kubectl { get; }

    public string Namespace { get; }

    public string OtherNamespace { get; }

    /// <summary>The value of <see cref="RunLabelKey"/> on objects that must be told apart across namespaces.</summary>
    public string RunLabel { get; }

    /// <summary>A label selector term matching only this session's labelled objects.</summary>
    public string RunSelector => $"{RunLabelKey}={RunLabel}";

    public static async Task<ClusterSession> OpenAsync(ClusterTarget target, Kubernetes client, string kubeconfigPath,
        Func<string, Task<RawWatch>> openWatch, IAsyncDisposable? owned, CancellationToken cancellationToken)
    {
        var session = new ClusterSession(target, client, kubeconfigPath, Guid.NewGuid().ToString("N")[..10], openWatch, owned);
        try
        {
            await session.CreateNamespaceAsync(session.Namespace, cancellationToken);
            await session.CreateNamespaceAsync(session.OtherNamespace, cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>A name no other session uses, for cluster-scoped objects.</summary>
    public string UniqueName(string prefix) => $"{prefix}-{RunLabel}";

    /// <summary>Labels for an object, with this session's run label added.</summary>
    public Dictionary<string, string> Labelled(IDictionary<string, string>? labels = null) =>
        new(labels ?? new Dictionary<string, string>()) { [RunLabelKey] = RunLabel };

    /// <summary>Creates a namespace that disposing the session deletes.</summary>
    public async Task<V1Namespace> CreateNamespaceAsync(string name, CancellationToken cancellationToken = default)
    {
        var created = await Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [TestNamespaceLabel] = RunLabel } },
        }, cancellationToken: cancellationToken);
        createdNamespaces.Add(name);
        return created;
    }

    /// <summary>Deletes, when the session is disposed, a namespace the test created some other way (e.g. with kubectl).</summary>
    public void DeleteOnDispose(string namespaceName) => createdNamespaces.Add(namespaceName);

    /// <summary>Opens a watch (or any streamed GET) at <paramref name="pathAndQuery"/>, authenticated as this session.</summary>
    public Task<RawWatch> WatchAsync(string pathAndQuery) => openWatch(pathAndQuery);

    /// <summary>Installs the Widget CRD (idempotent) and waits until it is served.</summary>
    public async Task InstallWidgetsAsync()
    {
        (await Kubectl.RunWithInputAsync(Manifests.WidgetCrd, "apply", "--server-side", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=condition=Established", "crd/widgets.example.com", $"--timeout={(int)Target.SettleTimeout.TotalSeconds}s")).EnsureSuccess();
    }

    /// <summary>Whether <paramref name="read"/> finds its object (false on 404).</summary>
    public static async Task<bool> ExistsAsync(Func<Task> read)
    {
        try
        {
            await read();
            return true;
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned is not null)
        {
            await owned.DisposeAsync();
            return;
        }

        foreach (var name in createdNamespaces)
        {
            try
            {
                await Client.CoreV1.DeleteNamespaceAsync(name);
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted by the test itself.
            }
        }

        Client.Dispose();
    }
}
