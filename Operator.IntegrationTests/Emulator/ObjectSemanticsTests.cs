namespace Operator.IntegrationTests.Emulator;

public sealed class ObjectSemanticsTests(ClusterTarget target) : ConformanceFixture(target)
{
    private static V1ConfigMap ConfigMap(string name, string value = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    // Secrets, not ConfigMaps, where a test enumerates a namespace: a real cluster puts kube-root-ca.crt in every one.
    private V1Secret Secret(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Cluster.Labelled(labels) },
        StringData = new Dictionary<string, string> { ["key"] = "1" },
    };

    [Test]
    public async Task CreateAssignsIdentityAndResourceVersionsGrowGlobally()
    {
        var first = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Cluster.Namespace);
        var second = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), Cluster.OtherNamespace);
        Assert.Multiple(() =>
        {
            Assert.That(first.Metadata.Uid, Is.Not.Empty);
            Assert.That(first.Metadata.Uid, Is.Not.EqualTo(second.Metadata.Uid));
            Assert.That(first.Metadata.CreationTimestamp, Is.Not.Null);
            Assert.That(long.Parse(second.Metadata.ResourceVersion), Is.GreaterThan(long.Parse(first.Metadata.ResourceVersion)));
            Assert.That(first.Metadata.NamespaceProperty, Is.EqualTo(Cluster.Namespace));
        });
        var fetched = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", Cluster.Namespace);
        Assert.That(fetched.Metadata.ResourceVersion, Is.EqualTo(first.Metadata.ResourceVersion));
    }

    [Test]
    public async Task DuplicateCreateIsAlreadyExistsAndMissingIsNotFound()
    {
        await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Cluster.Namespace);
        var duplicate = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Cluster.Namespace));
        Assert.That(duplicate!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(duplicate.Response.Content, Does.Contain("\"reason\":\"AlreadyExists\"").And.Contain("configmaps \\\"a\\\" already exists"));
        var missing = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("nope", Cluster.Namespace));
        Assert.That(missing!.Response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Response.Content, Does.Contain("\"reason\":\"NotFound\""));
        var ghost = Cluster.UniqueName("ghost");
        var noNamespace = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ghost));
        Assert.That(noNamespace!.Response.Content, Does.Contain($"namespaces \\\"{ghost}\\\" not found"));
    }

    [Test]
    public async Task GenerateNameMakesUniqueNames()
    {
        var template = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "job-" } };
        var one = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(template, Cluster.Namespace);
        var two = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(template, Cluster.Namespace);
        Assert.That(one.Metadata.Name, Does.StartWith("job-").And.Length.EqualTo(9));
        Assert.That(one.Metadata.Name, Is.Not.EqualTo(two.Metadata.Name));
    }

    [Test]
    public void InvalidNameIsInvalid()
    {
        var error = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Not_Valid"), Cluster.Namespace));
        Assert.That((int)error!.Response.StatusCode, Is.EqualTo(422));
        Assert.That(error.Response.Content, Does.Contain("\"reason\":\"Invalid\"").And.Contain("\"field\":\"metadata.name\""));
    }

    [Test]
    public async Task UpdateWithStaleResourceVersionIsConflict()
    {
        var created = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Cluster.Namespace);
        created.Data["key"] = "2";
        var updated = await Cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", Cluster.Namespace);
        Assert.That(updated.Metadata.ResourceVersion, Is.Not.EqualTo(created.Metadata.ResourceVersion));
        created.Data["key"] = "3";
        var stale = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", Cluster.Namespace));
        Assert.That(stale!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(stale.Response.Content, Does.Contain("the object has been modified"));
        var current = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", Cluster.Namespace);
        Assert.That(current.Data["key"], Is.EqualTo("2"));
    }

    [Test]
    public async Task NoOpUpdateKeepsResourceVersion()
    {
        var created = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Cluster.Namespace);
        var same = await Cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", Cluster.Namespace);
        Assert.That(same.Metadata.ResourceVersion, Is.EqualTo(created.Metadata.ResourceVersion));
    }

    // Patches rather than updates: on a real cluster the Deployment controller writes the object meanwhile.
    [Test]
    public async Task GenerationGrowsOnlyWithSpecChanges()
    {
        var deployment = await Cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 1), Cluster.Namespace);
        Assert.That(deployment.Metadata.Generation, Is.EqualTo(1));
        deployment = await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"labels":{"touched":"yes"}}}""", V1Patch.PatchType.MergePatch), "web", Cluster.Namespace);
        Assert.That(deployment.Metadata.Generation, Is.EqualTo(1), "a label change is not a spec change");
        deployment = await Cluster.Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", Cluster.Namespace);
        Assert.That(deployment.Metadata.Generation, Is.EqualTo(2));
    }

    // A custom resource, which no controller touches on either target, so the status seen is only what the test wrote.
    [Test]
    public async Task StatusSubresourceSeparatesSpecAndStatus()
    {
        await Cluster.InstallWidgetsAsync();
        var created = await Widgets.CreateAsync(Cluster, "w", size: 2);
        created["spec"]!["size"] = 5;
        created["status"] = new JsonObject { ["observed"] = 7 };
        var viaMain = Widgets.Parse(await Cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, Widgets.Group, Widgets.Version, Cluster.Namespace, Widgets.Plural, "w"));
        Assert.Multiple(() =>
        {
            Assert.That(viaMain["spec"]!["size"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(viaMain["status"], Is.Null, "the main endpoint ignores status");
            Assert.That(viaMain["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2));
        });
        viaMain["status"] = new JsonObject { ["observed"] = 4 };
        viaMain["spec"]!["size"] = 9;
        var viaStatus = Widgets.Parse(await Cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(viaMain, Widgets.Group, Widgets.Version, Cluster.Namespace, Widgets.Plural, "w"));
        Assert.Multiple(() =>
        {
            Assert.That(viaStatus["status"]!["observed"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(viaStatus["spec"]!["size"]!.GetValue<int>(), Is.EqualTo(5), "/status ignores spec");
            Assert.That(viaStatus["metadata"]!["generation"]!.GetValue<long>(), Is.EqualTo(2), "a status change is not a spec change");
        });
    }

    [Test]
    public async Task ListFiltersByLabelsAndFields()
    {
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("a", new Dictionary<string, string> { ["tier"] = "web", ["env"] = "prod" }), Cluster.Namespace);
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("b", new Dictionary<string, string> { ["tier"] = "db" }), Cluster.Namespace);
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("c"), Cluster.Namespace);
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("d", new Dictionary<string, string> { ["tier"] = "web" }), Cluster.OtherNamespace);

        async Task<string[]> Names(string? labels = null, string? fields = null, bool allNamespaces = false)
        {
            var list = allNamespaces
                ? await Cluster.Client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: labels is null ? Cluster.RunSelector : $"{labels},{Cluster.RunSelector}", fieldSelector: fields)
                : await Cluster.Client.CoreV1.ListNamespacedSecretAsync(Cluster.Namespace, labelSelector: labels, fieldSelector: fields);
            return [.. list.Items.Select(item => item.Metadata.Name)];
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Names("tier=web"), Is.EqualTo(new[] { "a" }));
            // Cluster-wide lists follow the storage key "namespace/name": "<ns>-b/d" sorts before "<ns>/a" ('-' < '/').
            Assert.That(await Names("tier==web", allNamespaces: true), Is.EqualTo(new[] { "d", "a" }));
            Assert.That(await Names("tier!=web"), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(await Names("tier in (web,db)"), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(await Names("tier notin (web)"), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(await Names("tier"), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(await Names("!tier"), Is.EqualTo(new[] { "c" }));
            Assert.That(await Names("tier=web,env=prod"), Is.EqualTo(new[] { "a" }));
            Assert.That(await Names(fields: "metadata.name=b"), Is.EqualTo(new[] { "b" }));
            Assert.That(await Names(fields: $"metadata.namespace={Cluster.OtherNamespace}", allNamespaces: true), Is.EqualTo(new[] { "d" }));
            Assert.That(await Names(fields: "metadata.name!=b"), Is.EqualTo(new[] { "a", "c" }));
        });
        var bad = Assert.ThrowsAsync<HttpOperationException>(() => Cluster.Client.CoreV1.ListNamespacedSecretAsync(Cluster.Namespace, labelSelector: "tier in (web"));
        Assert.That(bad!.Response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ListPaginatesWithContinueTokens()
    {
        for (var i = 0; i < 7; i++)
        {
            await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret($"s-{i}"), Cluster.Namespace);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        string? firstVersion = null;
        do
        {
            var page = await Cluster.Client.CoreV1.ListNamespacedSecretAsync(Cluster.Namespace, limit: 3, continueParameter: token);
            firstVersion ??= page.Metadata.ResourceVersion;
            Assert.That(page.Metadata.ResourceVersion, Is.EqualTo(firstVersion), "every page reports the first page's resourceVersion");
            names.AddRange(page.Items.Select(item => item.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            if (!string.IsNullOrEmpty(token))
            {
                Assert.That(page.Metadata.RemainingItemCount, Is.EqualTo(7 - names.Count));
            }

            pages++;
        }
        while (!string.IsNullOrEmpty(token));
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(names, Is.EqualTo(Enumerable.Range(0, 7).Select(i => $"s-{i}")));
    }

    [Test]
    public async Task ListPaginatesWithinOneNamespaceAndAcrossAll()
    {
        foreach (var name in new[] { "p-2", "p-0", "p-1" })
        {
            await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret(name), Cluster.Namespace);
            await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret(name), Cluster.OtherNamespace);
        }

        async Task<List<string>> AllPages(Func<string?, Task<V1SecretList>> list)
        {
            var keys = new List<string>();
            string? token = null;
            do
            {
                var page = await list(token);
                Assert.That(page.Items, Has.Count.LessThanOrEqualTo(2), "no page is over the limit");
                keys.AddRange(page.Items.Select(item => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}"));
                token = page.Metadata.ContinueProperty;
            }
            while (!string.IsNullOrEmpty(token));
            return keys;
        }

        var inOne = await AllPages(token => Cluster.Client.CoreV1.ListNamespacedSecretAsync(Cluster.Namespace, labelSelector: Cluster.RunSelector, limit: 2, continueParameter: token));
        var inAll = await AllPages(token => Cluster.Client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: Cluster.RunSelector, limit: 2, continueParameter: token));
        // The other namespace is "<ns>-b": its storage keys "<ns>-b/..." sort before "<ns>/..." because '-' < '/',
        // although "<ns>" sorts before "<ns>-b" as a namespace name.
        var storageKeyOrder = new[] { Cluster.OtherNamespace, Cluster.Namespace };
        Assert.Multiple(() =>
        {
            Assert.That(inOne, Is.EqualTo(new[] { "p-0", "p-1", "p-2" }.Select(name => $"{Cluster.Namespace}/{name}")), "one namespace, in name order");
            Assert.That(inAll, Is.EqualTo(storageKeyOrder.SelectMany(ns => new[] { "p-0", "p-1", "p-2" }.Select(name => $"{ns}/{name}"))), "all namespaces, in storage-key order");
        });
    }

    [Test]
    public async Task DryRunValidatesWithoutStoring()
    {
        var created = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Cluster.Namespace, dryRun: "All");
        Assert.That(created.Metadata.Name, Is.EqualTo("a"));
        Assert.That(await ClusterSession.ExistsAsync(() => Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("a", Cluster.Namespace)), Is.False);
    }

    [Test]
    public async Task ClusterScopedAndNamespacedRoutesAreDistinct()
    {
        var team = Cluster.UniqueName($"{ClusterSession.NamespacePrefix}team");
        await Cluster.CreateNamespaceAsync(team);
        var ns = await Cluster.Client.CoreV1.ReadNamespaceAsync(team);
        Assert.Multiple(() =>
        {
            Assert.That(ns.Status.Phase, Is.EqualTo("Active"));
            Assert.That(ns.Spec.Finalizers, Is.EqualTo(new[] { "kubernetes" }));
        });
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(Secret("x"), team);
        var inTeam = await Cluster.Client.CoreV1.ListNamespacedSecretAsync(team);
        Assert.That(inTeam.Items.Select(item => item.Metadata.Name), Is.EqualTo(new[] { "x" }));
    }
}
