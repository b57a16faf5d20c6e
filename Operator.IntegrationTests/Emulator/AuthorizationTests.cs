// The emulator's RBAC authorizer, seen from real clients (kubectl and KubernetesClient) over HTTP: requests are
// allowed only by Roles, ClusterRoles and bindings in the store, refused with kube-apiserver's 403 and its wording,
// and authorized on more than the verb in the URL: an apply that creates needs create, subresources are resources
// of their own, list, watch and deletecollection are verbs of their own, and non-resource paths are authorized by
// path (discovery is open to authenticated users through the bootstrap system:discovery role).
using System.Net.Http.Headers;
using System.Text;
using Operator.Emulator.Authorization;
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

[Parallelizable(ParallelScope.Children)]
[EmulatorOnly("reads the emulator's authorization decisions")]
[RequiresKubectl]
internal sealed class AuthorizationTests
{
    private const string Alice = "alice";

    private static async Task<EmulatorSession> StartAsync()
    {
        var session = await EmulatorSession.StartAsync(new EmulatorOptions { Authorization = AuthorizationMode.Rbac });
        foreach (var name in new[] { "team-a", "team-b" })
        {
            (await session.Kubectl.RunWithInputAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n", "apply", "--server-side", "-f", "-")).EnsureSuccess();
        }

        return session;
    }

    private static Task<KubectlResult> ApplyAsync(EmulatorSession session, string yaml) =>
        session.Kubectl.RunWithInputAsync(yaml, "apply", "--server-side", "-f", "-");

    private static string Role(string kind, string name, string? ns, string rules) =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {name}\n{(ns is null ? "" : $"  namespace: {ns}\n")}rules:\n{rules}";

    private static string Binding(string kind, string name, string? ns, string roleKind, string role, string subjects) =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {name}\n{(ns is null ? "" : $"  namespace: {ns}\n")}"
        + $"roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {roleKind}\n  name: {role}\nsubjects:\n{subjects}";

    private static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["message"]?.GetValue<string>();

    private static string UserSubject(string name) => $"  - apiGroup: rbac.authorization.k8s.io\n    kind: User\n    name: {name}\n";

    [Test]
    public async Task AUserWithoutBindingsIsRefusedInKubeApiserversWords()
    {
        await using var session = await StartAsync();
        var alice = session.KubectlFor(Alice);

        var inNamespace = await alice.RunAsync("get", "deployments", "-n", "team-a");
        var clusterWide = await alice.RunAsync("get", "deployments", "-A");
        var named = await alice.RunAsync("get", "configmap", "settings", "-n", "team-a");
        Assert.Multiple(() =>
        {
            Assert.That(inNamespace.ExitCode, Is.Not.Zero);
            Assert.That(inNamespace.Error, Does.Contain(
                "Error from server (Forbidden): deployments.apps is forbidden: User \"alice\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"team-a\""));
            Assert.That(clusterWide.Error, Does.Contain(
                "deployments.apps is forbidden: User \"alice\" cannot list resource \"deployments\" in API group \"apps\" at the cluster scope"));
            Assert.That(named.Error, Does.Contain(
                "configmaps \"settings\" is forbidden: User \"alice\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"team-a\""),
                "authorization comes before the lookup: a name the user may not read is 403, not 404");
        });
    }

    [Test]
    public async Task DiscoveryIsOpenToAuthenticatedUsersAndHealthToEveryone()
    {
        await using var session = await StartAsync();
        using var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress };

        async Task<(HttpStatusCode Code, string Body)> GetAsync(string path, string? user)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (user is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user);
            }

            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var anonymousApis = await GetAsync("/apis", null);
        var anonymousVersion = await GetAsync("/version", null);
        var anonymousHealth = await GetAsync("/healthz", null);
        var anonymousPods = await GetAsync("/api/v1/namespaces/team-a/pods", null);
        var aliceApis = await GetAsync("/apis", Alice);
        var aliceGroup = await GetAsync("/apis/apps/v1", Alice);
        var aliceUnknownResource = await GetAsync("/apis/example.com/v1/widgets", Alice);
        Assert.Multiple(() =>
        {
            Assert.That(anonymousApis.Code, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(JsonNode.Parse(anonymousApis.Body)?["message"]?.GetValue<string>(), Is.EqualTo("forbidden: User \"system:anonymous\" cannot get path \"/apis\""));
            Assert.That(anonymousVersion.Code, Is.EqualTo(HttpStatusCode.OK), "system:public-info-viewer");
            Assert.That(anonymousHealth.Code, Is.EqualTo(HttpStatusCode.OK), "system:public-info-viewer");
            Assert.That(anonymousPods.Code, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(aliceApis.Code, Is.EqualTo(HttpStatusCode.OK), "system:discovery");
            Assert.That(aliceGroup.Code, Is.EqualTo(HttpStatusCode.OK), "system:discovery");
            Assert.That(aliceUnknownResource.Code, Is.EqualTo(HttpStatusCode.Forbidden), "an unknown resource is authorized before it is looked up");
        });
    }

    [Test]
    public async Task ARoleBindingGrantsOnlyInItsNamespaceAndAClusterRoleBindingEverywhere()
    {
        await using var session = await StartAsync();
        (await ApplyAsync(session, Role("Role", "config-reader", "team-a", "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [get, list]\n"))).EnsureSuccess();
        (await ApplyAsync(session, Binding("RoleBinding", "alice-reads-config", "team-a", "Role", "config-reader", UserSubject(Alice)))).EnsureSuccess();
        var alice = session.KubectlFor(Alice);

        var allowed = await alice.RunAsync("get", "configmaps", "-n", "team-a");
        var otherNamespace = await alice.RunAsync("get", "configmaps", "-n", "team-b");
        var allNamespaces = await alice.RunAsync("get", "configmaps", "-A");
        Assert.Multiple(() =>
        {
            Assert.That(allowed.ExitCode, Is.Zero, allowed.Error);
            Assert.That(otherNamespace.Error, Does.Contain("cannot list resource \"configmaps\" in API group \"\" in the namespace \"team-b\""));
            Assert.That(allNamespaces.Error, Does.Contain("at the cluster scope"));
        });

        // A ClusterRole bound cluster-wide reaches every namespace and the all-namespaces list.
        (await ApplyAsync(session, Role("ClusterRole", "config-lister", null, "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [list]\n"))).EnsureSuccess();
        (await ApplyAsync(session, Binding("ClusterRoleBinding", "alice-lists-config", null, "ClusterRole", "config-lister", UserSubject(Alice)))).EnsureSuccess();
        Assert.That((await alice.RunAsync("get", "configmaps", "-A")).ExitCode, Is.Zero);
    }

    [Test]
    public async Task AnApplyThatCreatesItsObjectNeedsCreateAsWellAsPatch()
    {
        await using var session = await StartAsync();
        const string Account = "system:serviceaccount:team-a:writer";
        (await ApplyAsync(session, Role("ClusterRole", "config-patcher", null, "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [patch]\n"))).EnsureSuccess();
        (await ApplyAsync(session, Binding("RoleBinding", "writer-patches", "team-a", "ClusterRole", "config-patcher", "  - kind: ServiceAccount\n    name: writer\n"))).EnsureSuccess();
        using var writer = session.ClientFor(Account);
        var patch = new V1Patch("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\"},\"data\":{\"a\":\"1\"}}", V1Patch.PatchType.ApplyPatch);

        var refused = Assert.ThrowsAsync<HttpOperationException>(() => writer.CoreV1.PatchNamespacedConfigMapAsync(patch, "settings", "team-a", fieldManager: "writer"));
        Assert.Multiple(() =>
        {
            Assert.That(refused!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(JsonNode.Parse(refused.Response.Content)?["message"]?.GetValue<string>(), Is.EqualTo(
                $"configmaps \"settings\" is forbidden: User \"{Account}\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"team-a\""));
        });
        Assert.That(await session.Client.CoreV1.ListNamespacedConfigMapAsync("team-a", fieldSelector: "metadata.name=settings"), Has.Property("Items").Empty, "nothing was created");

        // Once the object exists, the same apply is an update: patch alone suffices.
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "team-a");
        var applied = await writer.CoreV1.PatchNamespacedConfigMapAsync(patch, "settings", "team-a", fieldManager: "writer");
        Assert.That(applied.Data["a"], Is.EqualTo("1"));

        var checks = session.Emulator.Authorization.Decisions.Where(d => d.Request.User.Name == Account && d.Request.Resource == "configmaps")
            .Select(d => (d.Request.Verb, d.Allowed)).ToList();
        Assert.That(checks, Is.EqualTo(new[] { ("patch", true), ("create", false), ("patch", true) }), "the refused apply was checked as patch, then as create");
    }

    [Test]
    public async Task SubresourcesWatchAndDeleteCollectionArePermissionsOfTheirOwn()
    {
        await using var session = await StartAsync();
        (await ApplyAsync(session, Role("Role", "deployer", "team-a",
            "  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [get, list, create, patch, delete]\n"))).EnsureSuccess();
        (await ApplyAsync(session, Binding("RoleBinding", "alice-deploys", "team-a", "Role", "deployer", UserSubject(Alice)))).EnsureSuccess();
        var alice = session.KubectlFor(Alice);
        using (var aliceClient = session.ClientFor(Alice))
        {
            await aliceClient.AppsV1.CreateNamespacedDeploymentAsync(Deployments.Make("web", 1), "team-a");
        }

        var scale = await alice.RunAsync("scale", "deployment", "web", "-n", "team-a", "--replicas", "3");
        using var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Alice);
        using var watch = await http.GetAsync("/apis/apps/v1/namespaces/team-a/deployments?watch=true&timeoutSeconds=1");
        using var deleteAll = await http.DeleteAsync("/apis/apps/v1/namespaces/team-a/deployments");
        using var status = await http.PatchAsync("/apis/apps/v1/namespaces/team-a/deployments/web/status",
            new StringContent("{\"status\":{\"replicas\":1}}", Encoding.UTF8, "application/merge-patch+json"));
        Assert.Multiple(async () =>
        {
            Assert.That(scale.Error, Does.Contain("cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"team-a\""));
            Assert.That(watch.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await MessageAsync(watch), Does.Contain("cannot watch resource \"deployments\""));
            Assert.That(deleteAll.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await MessageAsync(deleteAll), Does.Contain("cannot deletecollection resource \"deployments\""));
            Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await MessageAsync(status), Is.EqualTo(
                "deployments.apps \"web\" is forbidden: User \"alice\" cannot patch resource \"deployments/status\" in API group \"apps\" in the namespace \"team-a\""));
        });
        Assert.That((await alice.RunAsync("delete", "deployment", "web", "-n", "team-a")).ExitCode, Is.Zero, "delete by name is granted");
    }

    [Test]
    public async Task ResourceNamesAllowNamedRequestsOnlyAndGroupsAndServiceAccountsAreSubjects()
    {
        await using var session = await StartAsync();
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" } }, "team-a");
        await session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "secret-plans" } }, "team-a");
        (await ApplyAsync(session, Role("Role", "settings-reader", "team-a",
            "  - apiGroups: [\"\"]\n    resources: [configmaps]\n    resourceNames: [settings]\n    verbs: [get, list]\n"))).EnsureSuccess();
        (await ApplyAsync(session, Binding("RoleBinding", "readers", "team-a", "Role", "settings-reader",
            "  - apiGroup: rbac.authorization.k8s.io\n    kind: Group\n    name: auditors\n  - kind: ServiceAccount\n    name: reader\n"))).EnsureSuccess();

        var auditor = session.KubectlFor("bob", ["auditors"]);
        var account = session.KubectlFor("system:serviceaccount:team-a:reader");
        var otherAccount = session.KubectlFor("system:serviceaccount:team-b:reader");
        var named = await auditor.RunAsync("get", "configmap", "settings", "-n", "team-a");
        var otherName = await auditor.RunAsync("get", "configmap", "secret-plans", "-n", "team-a");
        var list = await auditor.RunAsync("get", "configmaps", "-n", "team-a");
        var pinnedList = await auditor.RunAsync("get", "configmaps", "-n", "team-a", "--field-selector", "metadata.name=settings");
        Assert.Multiple(async () =>
        {
            Assert.That(named.ExitCode, Is.Zero, named.Error);
            Assert.That(otherName.Error, Does.Contain("configmaps \"secret-plans\" is forbidden"));
            Assert.That(list.Error, Does.Contain("cannot list resource \"configmaps\""), "a list carries no name, so resourceNames never match it");
            Assert.That(pinnedList.ExitCode, Is.Zero, "a list pinned to metadata.name is authorized for that name: " + pinnedList.Error);
            Assert.That((await account.RunAsync("get", "configmap", "settings", "-n", "team-a")).ExitCode, Is.Zero, "a ServiceAccount subject defaults to the binding's namespace");
            Assert.That((await otherAccount.RunAsync("get", "configmap", "settings", "-n", "team-a")).Error, Does.Contain("forbidden"), "same name, other namespace");
        });
    }

    [Test]
    public async Task BindingsToMissingRolesGrantNothingAndMastersNeedNoBinding()
    {
        await using var session = await StartAsync();
        (await ApplyAsync(session, Binding("ClusterRoleBinding", "dangling", null, "ClusterRole", "does-not-exist", UserSubject(Alice)))).EnsureSuccess();
        var alice = session.KubectlFor(Alice);
        var root = session.KubectlFor("root", [UserInfo.MastersGroup]);
        Assert.Multiple(async () =>
        {
            Assert.That((await alice.RunAsync("get", "configmaps", "-n", "team-a")).Error, Does.Contain("forbidden"));
            Assert.That((await root.RunAsync("get", "configmaps", "-A")).ExitCode, Is.Zero);
            Assert.That((await root.RunAsync("get", "clusterroles", "system:discovery", "-o", "name")).Output.Trim(), Is.EqualTo("clusterrole.rbac.authorization.k8s.io/system:discovery"));
        });
    }
}
