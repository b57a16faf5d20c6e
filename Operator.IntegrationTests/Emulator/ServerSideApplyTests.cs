// Server-side apply as kube-apiserver 1.32 does it, seen through the API: which fields an apply owns (managedFields),
// which it removes when a manager stops applying them, on the main resource and on /status, and how conflicts read.

namespace Operator.IntegrationTests.Emulator;

[Category(PatchEngine.Category)]
public sealed class ServerSideApplyTests(ClusterTarget target) : ConformanceFixture(target)
{
    private string WidgetPath(string name, string? subresource = null) =>
        $"/apis/{Widgets.Group}/{Widgets.Version}/namespaces/{Cluster.Namespace}/{Widgets.Plural}/{name}{(subresource is null ? "" : "/" + subresource)}";

    private string ConfigMapPath(string name) => $"/api/v1/namespaces/{Cluster.Namespace}/configmaps/{name}";

    private Task<RawResponse> ApplyAsync(string path, string manager, JsonObject body, bool force = false) =>
        RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, $"{path}?fieldManager={manager}{(force ? "&force=true" : "")}", body.ToJsonString(), RawApi.ApplyPatch);

    private static JsonObject WidgetStatus(string name, JsonObject status) => new()
    {
        ["apiVersion"] = $"{Widgets.Group}/{Widgets.Version}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["status"] = status,
    };

    private static JsonObject? EntryOf(JsonNode obj, string manager, string? subresource = null) =>
        (obj["metadata"]!["managedFields"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(entry => entry["manager"]!.GetValue<string>() == manager && (entry["subresource"]?.GetValue<string>() ?? "") == (subresource ?? ""));

    [Test]
    public async Task StatusApplyOwnsItsFieldsAndRemovesThoseItStopsApplying()
    {
        await Cluster.InstallWidgetsAsync();
        await Widgets.CreateAsync(Cluster, "w", 1);
        var first = await ApplyAsync(WidgetPath("w", "status"), "reporter", WidgetStatus("w", new JsonObject { ["workers"] = new JsonObject { ["a"] = 1, ["b"] = 2 } }));
        Assert.That(first.StatusCode, Is.EqualTo(200), first.Message);
        var entry = EntryOf(first.Body!, "reporter", "status");
        Assert.That(entry, Is.Not.Null, "the /status apply is recorded in managedFields");
        Assert.That(entry!["operation"]!.GetValue<string>(), Is.EqualTo("Apply"));
        // status preserves unknown fields, so workers, undeclared, is owned itself (".") as well as through its entries.
        Assert.That(entry["fieldsV1"]!["f:status"]!["f:workers"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { ".", "f:a", "f:b" }));

        var second = await ApplyAsync(WidgetPath("w", "status"), "reporter", WidgetStatus("w", new JsonObject { ["workers"] = new JsonObject { ["a"] = 1 } }));
        Assert.That(second.StatusCode, Is.EqualTo(200), second.Message);
        var stored = (await RawApi.SendAsync(Cluster.Client, HttpMethod.Get, WidgetPath("w"))).Body!;
        Assert.That(stored["status"]!["workers"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "a" }), "a status field the manager stopped applying is removed");
    }

    [Test]
    public async Task MainResourceApplyOwnsNoStatusSoAStatusApplyDoesNotConflict()
    {
        await Cluster.InstallWidgetsAsync();
        var widget = Widgets.Make("w", 2);
        widget["status"] = new JsonObject { ["phase"] = "from-main" };
        var main = await ApplyAsync(WidgetPath("w"), "author", widget);
        Assert.That(main.StatusCode, Is.EqualTo(201), main.Message);
        Assert.That(main.Body!["status"], Is.Null, "the main resource ignores status");
        Assert.That(EntryOf(main.Body!, "author")!["fieldsV1"]!["f:status"], Is.Null, "nor does its applier own any of it");

        var status = await ApplyAsync(WidgetPath("w", "status"), "reporter", WidgetStatus("w", new JsonObject { ["phase"] = "Ready" }));
        Assert.That(status.StatusCode, Is.EqualTo(200), status.Message);
        Assert.That(status.Body!["status"]!["phase"]!.GetValue<string>(), Is.EqualTo("Ready"));
    }

    [Test]
    public async Task ReapplyingNothingRemovesWhatTheManagerAloneOwned()
    {
        var full = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "c", ["labels"] = new JsonObject { ["team"] = "a" } },
            ["data"] = new JsonObject { ["mine"] = "1", ["shared"] = "2" },
        };
        Assert.That((await ApplyAsync(ConfigMapPath("c"), "alice", full)).StatusCode, Is.EqualTo(201));
        var bob = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" }, ["data"] = new JsonObject { ["shared"] = "2" } };
        Assert.That((await ApplyAsync(ConfigMapPath("c"), "bob", bob)).StatusCode, Is.EqualTo(200));

        var empty = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" } };
        var reapplied = await ApplyAsync(ConfigMapPath("c"), "alice", empty);
        Assert.That(reapplied.StatusCode, Is.EqualTo(200), reapplied.Message);
        Assert.That(reapplied.Body!["data"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "shared" }), "only what another manager owns stays");
        Assert.That(reapplied.Body!["metadata"]!["labels"], Is.Null);
        // kube-apiserver's stripMetaManager drops a manager whose set is empty once name, apiVersion and kind are stripped.
        Assert.That(EntryOf(reapplied.Body!, "alice"), Is.Null);
        Assert.That(EntryOf(reapplied.Body!, "bob"), Is.Not.Null);
    }

    [Test]
    public async Task ConflictsAreGroupedByOwnerInKubeApiserversWords()
    {
        var alice = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" }, ["data"] = new JsonObject { ["a"] = "1" } };
        Assert.That((await ApplyAsync(ConfigMapPath("c"), "alice", alice)).StatusCode, Is.EqualTo(201));
        var patched = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMapPath("c") + "?fieldManager=bob", """{"data":{"b":"2","c":"3"}}""", RawApi.MergePatch);
        Assert.That(patched.StatusCode, Is.EqualTo(200), patched.Message);

        var carol = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" }, ["data"] = new JsonObject { ["a"] = "x" } };
        var one = await ApplyAsync(ConfigMapPath("c"), "carol", carol);
        Assert.That(one.StatusCode, Is.EqualTo(409));
        Assert.That(one.Message, Is.EqualTo("Apply failed with 1 conflict: conflict with \"alice\": .data.a"));

        carol["data"] = new JsonObject { ["a"] = "x", ["b"] = "y", ["c"] = "z" };
        var three = await ApplyAsync(ConfigMapPath("c"), "carol", carol);
        Assert.That(three.StatusCode, Is.EqualTo(409));
        Assert.That(three.Message, Is.EqualTo("Apply failed with 3 conflicts: conflicts with \"alice\":\n- .data.a\nconflicts with \"bob\" using v1:\n- .data.b\n- .data.c"));
        Assert.That(three.Body!["details"]!["causes"]!.AsArray().Select(c => $"{c!["field"]} {c["message"]}"),
            Is.EquivalentTo(new[] { ".data.a conflict with \"alice\"", ".data.b conflict with \"bob\" using v1", ".data.c conflict with \"bob\" using v1" }));
        Assert.That(three.Body!["details"]!["name"], Is.Null, "an apply conflict names no object");
    }

    [Test]
    public async Task KubectlMovesFromClientSideToServerSideApplyAndKeepsLastAppliedCurrent()
    {
        static string Manifest(string value) => $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: moved}}\ndata: {{a: \"{value}\", b: kept}}\n";
        (await Cluster.Kubectl.RunWithInputAsync(Manifest("1"), "apply", "-f", "-")).EnsureSuccess();

        // Another field manager than kubectl gets no upgrade: the client-side applier's fields conflict.
        var other = await Cluster.Kubectl.RunWithInputAsync(Manifest("2"), "apply", "--server-side", "--field-manager=tool", "-f", "-");
        Assert.That(other.ExitCode, Is.Not.Zero);
        Assert.That(other.Error, Does.Contain("conflict with \"kubectl-client-side-apply\""));

        (await Cluster.Kubectl.RunWithInputAsync(Manifest("2"), "apply", "--server-side", "-f", "-")).EnsureSuccess();
        var stored = JsonNode.Parse((await Cluster.Kubectl.RunAsync("get", "configmap", "moved", "-o", "json", "--show-managed-fields")).EnsureSuccess().Output)!;
        Assert.That(stored["data"]!["a"]!.GetValue<string>(), Is.EqualTo("2"));
        var kubectl = EntryOf(stored, "kubectl");
        Assert.That(kubectl!["operation"]!.GetValue<string>(), Is.EqualTo("Apply"));
        Assert.That(kubectl["fieldsV1"]!["f:data"]!["f:a"], Is.Not.Null, "kubectl now owns what it applied client-side");
        var lastApplied = stored["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>();
        Assert.That(lastApplied, Does.EndWith("\n"));
        Assert.That(JsonNode.Parse(lastApplied)!["data"]!["a"]!.GetValue<string>(), Is.EqualTo("2"), "a server-side apply by kubectl keeps last-applied-configuration current");
    }

    [Test]
    public async Task ApplyBodyIdentityFieldsArePreconditions()
    {
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" }, ["data"] = new JsonObject { ["a"] = "1" } };
        var created = await ApplyAsync(ConfigMapPath("c"), "m", body);
        Assert.That(created.StatusCode, Is.EqualTo(201), created.Message);

        var withManagedFields = body.DeepClone().AsObject();
        withManagedFields["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "x", ["operation"] = "Apply" });
        var managed = await ApplyAsync(ConfigMapPath("c"), "m", withManagedFields);
        Assert.That((managed.StatusCode, managed.Message), Is.EqualTo((400, "metadata.managedFields must be nil")));

        var stale = body.DeepClone().AsObject();
        stale["metadata"]!["resourceVersion"] = "1";
        var staleAnswer = await ApplyAsync(ConfigMapPath("c"), "m", stale);
        Assert.That(staleAnswer.StatusCode, Is.EqualTo(409));
        Assert.That(staleAnswer.Message, Does.EndWith("the object has been modified; please apply your changes to the latest version and try again"));

        var otherUid = body.DeepClone().AsObject();
        otherUid["metadata"]!["uid"] = "00000000-0000-0000-0000-000000000000";
        var uidAnswer = await ApplyAsync(ConfigMapPath("c"), "m", otherUid);
        Assert.That(uidAnswer.StatusCode, Is.EqualTo(422));
        Assert.That(uidAnswer.Message, Is.EqualTo("ConfigMap \"c\" is invalid: metadata.uid: Invalid value: \"00000000-0000-0000-0000-000000000000\": field is immutable"));

        var elsewhere = body.DeepClone().AsObject();
        elsewhere["metadata"]!["namespace"] = Cluster.OtherNamespace;
        var namespaceAnswer = await ApplyAsync(ConfigMapPath("c"), "m", elsewhere);
        Assert.That((namespaceAnswer.StatusCode, namespaceAnswer.Message), Is.EqualTo((400, "the namespace of the provided object does not match the namespace sent on the request")));
    }
}
