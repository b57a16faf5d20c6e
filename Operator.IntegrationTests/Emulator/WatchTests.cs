namespace Operator.IntegrationTests.Emulator;

// Watches Secrets: a real cluster adds a ConfigMap (kube-root-ca.crt) to every namespace, but no Secret.
public sealed class WatchTests(ClusterTarget target) : ConformanceFixture(target)
{
    private string SecretsPath(string? inNamespace = null) => $"/api/v1/namespaces/{inNamespace ?? Cluster.Namespace}/secrets";

    private Task<V1Secret> CreateAsync(string name, string? inNamespace = null, IDictionary<string, string>? labels = null) =>
        Cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name, Labels = Cluster.Labelled(labels) } }, inNamespace ?? Cluster.Namespace);

    [Test]
    public async Task WatchWithoutVersionStartsWithCurrentStateThenChanges()
    {
        await CreateAsync("existing");
        await using var watch = await Cluster.WatchAsync($"{SecretsPath()}?watch=true");
        var first = await watch.NextAsync();
        Assert.That((RawWatch.Type(first!), RawWatch.Name(first!)), Is.EqualTo(("ADDED", "existing")));
        await CreateAsync("new");
        await CreateAsync("elsewhere", Cluster.OtherNamespace);
        await Cluster.Client.CoreV1.DeleteNamespacedSecretAsync("new", Cluster.Namespace);
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "DELETED");
        Assert.That(events.Select(change => (RawWatch.Type(change), RawWatch.Name(change))),
            Is.EqualTo(new[] { ("ADDED", "new"), ("DELETED", "new") }));
    }

    [Test]
    public async Task WatchResumesFromResourceVersionWithoutGapsOrRepeats()
    {
        var a = await CreateAsync("a");
        await CreateAsync("b", Cluster.OtherNamespace);
        var c = await CreateAsync("c");
        c.StringData = new Dictionary<string, string> { ["x"] = "y" };
        await Cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(c, "c", Cluster.Namespace);
        await using var watch = await Cluster.WatchAsync($"/api/v1/secrets?watch=1&labelSelector={Uri.EscapeDataString(Cluster.RunSelector)}&resourceVersion={a.Metadata.ResourceVersion}");
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "MODIFIED");
        Assert.That(events.Select(change => (RawWatch.Type(change), RawWatch.Name(change))),
            Is.EqualTo(new[] { ("ADDED", "b"), ("ADDED", "c"), ("MODIFIED", "c") }));
    }

    [Test]
    public async Task BookmarksCarryProgressOnlyWhenAllowed()
    {
        await CreateAsync("a");
        var latest = await CreateAsync("other-ns", Cluster.OtherNamespace);
        await using var watch = await Cluster.WatchAsync($"{SecretsPath()}?watch=true&allowWatchBookmarks=true");
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "BOOKMARK", Target.BookmarkWait);
        var bookmark = events[^1];
        Assert.Multiple(() =>
        {
            Assert.That(bookmark["object"]!["kind"]!.GetValue<string>(), Is.EqualTo("Secret"));
            Assert.That(long.Parse(bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>()),
                Is.GreaterThanOrEqualTo(long.Parse(latest.Metadata.ResourceVersion)));
        });

        await using var plain = await Cluster.WatchAsync($"{SecretsPath()}?watch=true&timeoutSeconds=1");
        var all = new List<JsonObject>();
        while (await plain.NextAsync(TimeSpan.FromSeconds(5)) is { } change)
        {
            all.Add(change);
        }

        Assert.That(all.Select(RawWatch.Type), Is.EqualTo(new[] { "ADDED" }), "no bookmarks unless asked; timeoutSeconds ends the stream");
    }

    [Test]
    public async Task LabelFilteredWatchSeesObjectsEnterAndLeave()
    {
        var created = await CreateAsync("a", labels: new Dictionary<string, string> { ["app"] = "x" });
        await using var watch = await Cluster.WatchAsync($"{SecretsPath()}?watch=true&labelSelector=app%3Dy&resourceVersion={created.Metadata.ResourceVersion}");
        created.Metadata.Labels["app"] = "y";
        created = await Cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(created, "a", Cluster.Namespace);
        created.Metadata.Labels["app"] = "z";
        await Cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(created, "a", Cluster.Namespace);
        var events = await watch.ReadUntilAsync(change => RawWatch.Type(change) == "DELETED");
        Assert.That(events.Select(RawWatch.Type), Is.EqualTo(new[] { "ADDED", "DELETED" }));
    }

    [Test]
    public async Task KubernetesClientWatchReceivesTypedEvents()
    {
        var list = await Cluster.Client.CoreV1.ListNamespacedSecretAsync(Cluster.Namespace);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var creator = Task.Run(async () => await CreateAsync("typed"));
        await foreach (var (type, item) in Cluster.Client.CoreV1.WatchListNamespacedSecretAsync(Cluster.Namespace, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
        {
            Assert.That((type, item.Metadata.Name), Is.EqualTo((WatchEventType.Added, "typed")));
            break;
        }

        await creator;
    }
}
