using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
public sealed class ObjectSemanticsTests
{
    private EmulatorSession session = null!;

    [SetUp]
    public async Task StartAsync() => session = await EmulatorSession.StartAsync();

    [TearDown]
    public async Task StopAsync() => await session.DisposeAsync();

    private static V1ConfigMap ConfigMap(string name, IDictionary<string, string>? labels = null, string value = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    [Test]
    public async Task CreateAssignsIdentityAndResourceVersionsGrowGlobally()
    {
        var first = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var second = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "kube-system");
        Assert.Multiple(() =>
        {
            Assert.That(first.Metadata.Uid, Is.Not.Empty);
            Assert.That(first.Metadata.Uid, Is.Not.EqualTo(second.Metadata.Uid));
            Assert.That(first.Metadata.CreationTimestamp, Is.Not.Null);
            Assert.That(long.Parse(second.Metadata.ResourceVersion), Is.GreaterThan(long.Parse(first.Metadata.ResourceVersion)));
            Assert.That(first.Metadata.NamespaceProperty, Is.EqualTo("default"));
        });
        var fetched = await session.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        Assert.That(fetched.Metadata.ResourceVersion, Is.EqualTo(first.Metadata.ResourceVersion));
    }

    [Test]
    public async Task DuplicateCreateIsAlreadyExistsAndMissingIsNotFound()
    {
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var duplicate = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default"));
        Assert.That(duplicate!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(duplicate.Response.Content, Does.Contain("\"reason\":\"AlreadyExists\"").And.Contain("configmaps \\\"a\\\" already exists"));
        var missing = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.ReadNamespacedConfigMapAsync("nope", "default"));
        Assert.That(missing!.Response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Response.Content, Does.Contain("\"reason\":\"NotFound\""));
        var noNamespace = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "ghost"));
        Assert.That(noNamespace!.Response.Content, Does.Contain("namespaces \\\"ghost\\\" not found"));
    }

    [Test]
    public async Task GenerateNameMakesUniqueNames()
    {
        var template = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "job-" } };
        var one = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(template, "default");
        var two = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(template, "default");
        Assert.That(one.Metadata.Name, Does.StartWith("job-").And.Length.EqualTo(9));
        Assert.That(one.Metadata.Name, Is.Not.EqualTo(two.Metadata.Name));
    }

    [Test]
    public async Task InvalidNameIsInvalid()
    {
        var error = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Not_Valid"), "default"));
        Assert.That((int)error!.Response.StatusCode, Is.EqualTo(422));
        Assert.That(error.Response.Content, Does.Contain("\"reason\":\"Invalid\"").And.Contain("\"field\":\"metadata.name\""));
    }

    [Test]
    public async Task UpdateWithStaleResourceVersionIsConflict()
    {
        var created = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        created.Data["key"] = "2";
        var updated = await session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default");
        Assert.That(updated.Metadata.ResourceVersion, Is.Not.EqualTo(created.Metadata.ResourceVersion));
        created.Data["key"] = "3";
        var stale = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default"));
        Assert.That(stale!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(stale.Response.Content, Does.Contain("the object has been modified"));
        var current = await session.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        Assert.That(current.Data["key"], Is.EqualTo("2"));
    }

    [Test]
    public async Task NoOpUpdateKeepsResourceVersion()
    {
        var created = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        var same = await session.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", "default");
        Assert.That(same.Metadata.ResourceVersion, Is.EqualTo(created.Metadata.ResourceVersion));
    }

    [Test]
    public async Task GenerationGrowsOnlyWithSpecChanges()
    {
        var deployment = await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 1), "default");
        Assert.That(deployment.Metadata.Generation, Is.EqualTo(1));
        deployment.Metadata.Labels = new Dictionary<string, string> { ["touched"] = "yes" };
        deployment = await session.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "default");
        Assert.That(deployment.Metadata.Generation, Is.EqualTo(1), "a label change is not a spec change");
        deployment.Spec.Replicas = 3;
        deployment = await session.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "default");
        Assert.That(deployment.Metadata.Generation, Is.EqualTo(2));
    }

    [Test]
    public async Task StatusSubresourceSeparatesSpecAndStatus()
    {
        var deployment = await session.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 2), "default");
        deployment.Status = new V1DeploymentStatus { Replicas = 7 };
        deployment.Spec.Replicas = 5;
        var viaMain = await session.Client.AppsV1.ReplaceNamespacedDeploymentAsync(deployment, "web", "default");
        Assert.Multiple(() =>
        {
            Assert.That(viaMain.Spec.Replicas, Is.EqualTo(5));
            Assert.That(viaMain.Status?.Replicas, Is.Null, "the main endpoint ignores status");
        });
        viaMain.Status = new V1DeploymentStatus { Replicas = 4 };
        viaMain.Spec.Replicas = 9;
        var viaStatus = await session.Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(viaMain, "web", "default");
        Assert.Multiple(() =>
        {
            Assert.That(viaStatus.Status.Replicas, Is.EqualTo(4));
            Assert.That(viaStatus.Spec.Replicas, Is.EqualTo(5), "/status ignores spec");
            Assert.That(viaStatus.Metadata.Generation, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task ListFiltersByLabelsAndFields()
    {
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new Dictionary<string, string> { ["tier"] = "web", ["env"] = "prod" }), "default");
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", new Dictionary<string, string> { ["tier"] = "db" }), "default");
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), "default");
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("d", new Dictionary<string, string> { ["tier"] = "web" }), "kube-system");

        async Task<string[]> Names(string? labels = null, string? fields = null, string? ns = "default")
        {
            var list = ns is null
                ? await session.Client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: labels, fieldSelector: fields)
                : await session.Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: labels, fieldSelector: fields);
            return [.. list.Items.Select(item => item.Metadata.Name)];
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await Names("tier=web"), Is.EqualTo(new[] { "a" }));
            Assert.That(await Names("tier==web", ns: null), Is.EqualTo(new[] { "a", "d" }));
            Assert.That(await Names("tier!=web"), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(await Names("tier in (web,db)"), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(await Names("tier notin (web)"), Is.EqualTo(new[] { "b", "c" }));
            Assert.That(await Names("tier"), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(await Names("!tier"), Is.EqualTo(new[] { "c" }));
            Assert.That(await Names("tier=web,env=prod"), Is.EqualTo(new[] { "a" }));
            Assert.That(await Names(fields: "metadata.name=b"), Is.EqualTo(new[] { "b" }));
            Assert.That(await Names(fields: "metadata.namespace=kube-system", ns: null), Is.EqualTo(new[] { "d" }));
            Assert.That(await Names(fields: "metadata.name!=b"), Is.EqualTo(new[] { "a", "c" }));
        });
        var bad = Assert.ThrowsAsync<HttpOperationException>(() => session.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "tier in (web"));
        Assert.That(bad!.Response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ListPaginatesWithContinueTokens()
    {
        for (var i = 0; i < 7; i++)
        {
            await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i}"), "default");
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        string? firstVersion = null;
        do
        {
            var page = await session.Client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 3, continueParameter: token);
            firstVersion ??= page.Metadata.ResourceVersion;
            Assert.That(page.Metadata.ResourceVersion, Is.EqualTo(firstVersion), "every page reports the first page's resourceVersion");
            names.AddRange(page.Items.Select(item => item.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            if (token is not null)
            {
                Assert.That(page.Metadata.RemainingItemCount, Is.EqualTo(7 - names.Count));
            }

            pages++;
        }
        while (!string.IsNullOrEmpty(token));
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(names, Is.EqualTo(Enumerable.Range(0, 7).Select(i => $"cm-{i}")));
    }

    [Test]
    public async Task DryRunValidatesWithoutStoring()
    {
        var created = await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default", dryRun: "All");
        Assert.That(created.Metadata.Name, Is.EqualTo("a"));
        var list = await session.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.That(list.Items, Is.Empty);
    }

    [Test]
    public async Task ClusterScopedAndNamespacedRoutesAreDistinct()
    {
        await session.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        var ns = await session.Client.CoreV1.ReadNamespaceAsync("team-a");
        Assert.Multiple(() =>
        {
            Assert.That(ns.Status.Phase, Is.EqualTo("Active"));
            Assert.That(ns.Spec.Finalizers, Is.EqualTo(new[] { "kubernetes" }));
        });
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x"), "team-a");
        var inTeam = await session.Client.CoreV1.ListNamespacedConfigMapAsync("team-a");
        Assert.That(inTeam.Items.Select(item => item.Metadata.Name), Is.EqualTo(new[] { "x" }));
    }
}
