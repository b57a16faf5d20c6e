using System.Text.Json.Nodes;
using Operator.Emulator.Patching;
using Operator.Emulator.Schema;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class FieldManagerApplyTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SchemaRegistry Registry = SchemaRegistry.CreateBuiltIn();
    private static readonly TypeSchema Deployment = Registry.Get("apps", "v1", "Deployment");
    private static readonly TypeSchema ConfigMap = Registry.Get("", "v1", "ConfigMap");

    private static JsonObject DeploymentConfig(string spec) => Obj(
        """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":""" + spec + "}");

    private static JsonObject ConfigMapConfig(string data) => Obj(
        """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"},"data":""" + data + "}");

    private static JsonObject Applied(JsonObject? live, JsonObject config, string manager, bool force = false, TypeSchema? schema = null)
    {
        var outcome = FieldManager.Apply(live, config, manager, force, schema ?? Deployment, Now);
        Assert.That(outcome.Conflicts, Is.Empty, () => outcome.ConflictMessage());
        return outcome.Result!;
    }

    private static JsonObject? FieldsOf(JsonObject obj, string manager, string operation = "Apply") =>
        obj["metadata"]?["managedFields"]?.AsArray()
            .Select(e => e!.AsObject())
            .FirstOrDefault(e => e["manager"]!.GetValue<string>() == manager && e["operation"]!.GetValue<string>() == operation)?["fieldsV1"]?.AsObject();

    [Test]
    public void AListWhoseItemsTheApplierStopsApplyingDisappears()
    {
        var first = Applied(null, DeploymentConfig("""
            {"template":{"spec":{"containers":[{"name":"app","image":"app:1","args":["a","b"]}]}}}
            """), "op");
        var second = Applied(first, DeploymentConfig("""
            {"template":{"spec":{"containers":[{"name":"app","image":"app:1","env":[{"name":"X","value":"1"}]}]}}}
            """), "op");
        var third = Applied(second, DeploymentConfig("""
            {"template":{"spec":{"containers":[{"name":"app","image":"app:1"}]}}}
            """), "op");
        var container = third["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(second["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().ContainsKey("args"), Is.False, "an atomic list no longer applied is removed");
            Assert.That(container.ContainsKey("env"), Is.False, "a map list emptied of its only applier's items is removed, not left as []");
        });
    }

    [Test]
    public void CreateRecordsTheApplierAsOwnerInFieldsV1()
    {
        var result = Applied(null, ConfigMapConfig("""{"a":"1"}"""), "kubectl", schema: ConfigMap);

        var entry = result["metadata"]!["managedFields"]!.AsArray().Single()!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(entry["manager"]!.GetValue<string>(), Is.EqualTo("kubectl"));
            Assert.That(entry["operation"]!.GetValue<string>(), Is.EqualTo("Apply"));
            Assert.That(entry["apiVersion"]!.GetValue<string>(), Is.EqualTo("v1"));
            Assert.That(entry["time"]!.GetValue<string>(), Is.EqualTo("2024-05-01T12:00:00Z"));
            Assert.That(entry["fieldsType"]!.GetValue<string>(), Is.EqualTo("FieldsV1"));
            Assert.That(entry.ContainsKey("subresource"), Is.False);
        });
        AssertJsonEqual(entry["fieldsV1"], """{"f:data":{"f:a":{}}}""");
        AssertJsonEqual(result["data"], """{"a":"1"}""");
    }

    [Test]
    public void EncodesMapListItemsByKeysWithTheItemItself()
    {
        var config = DeploymentConfig("""
            {"template":{"spec":{"containers":[{"name":"app","image":"app:1","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}}
            """);
        var result = Applied(null, config, "op");
        AssertJsonEqual(FieldsOf(result, "op"), """
            {"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{
              ".":{},"f:image":{},"f:name":{},
              "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}}
            """);
    }

    [Test]
    public void EncodesSetItemsByValue()
    {
        var result = Applied(null, Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","finalizers":["example.com/a"]}}"""), "op");
        AssertJsonEqual(FieldsOf(result, "op"), """{"f:metadata":{"f:finalizers":{"v:\"example.com/a\"":{}}}}""");
    }

    [Test]
    public void SameValueFromTwoAppliersIsSharedOwnership()
    {
        var live = Applied(null, ConfigMapConfig("""{"a":"1","b":"2"}"""), "alice", schema: ConfigMap);
        var result = Applied(live, ConfigMapConfig("""{"a":"1"}"""), "bob", schema: ConfigMap);

        AssertJsonEqual(FieldsOf(result, "alice"), """{"f:data":{"f:a":{},"f:b":{}}}""");
        AssertJsonEqual(FieldsOf(result, "bob"), """{"f:data":{"f:a":{}}}""");

        // alice stops applying "a": bob still owns it, so it stays; "b" is alice's alone and goes.
        var afterAlice = Applied(result, ConfigMapConfig("""{}"""), "alice", schema: ConfigMap);
        AssertJsonEqual(afterAlice["data"], """{"a":"1"}""");
    }

    [Test]
    public void DifferentValueForAFieldAnotherApplierOwnsConflicts()
    {
        var live = Applied(null, ConfigMapConfig("""{"a":"1"}"""), "alice", schema: ConfigMap);
        var outcome = FieldManager.Apply(live, ConfigMapConfig("""{"a":"2"}"""), "bob", force: false, ConfigMap, Now);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Succeeded, Is.False);
            Assert.That(outcome.Result, Is.Null);
            Assert.That(outcome.Conflicts, Is.EqualTo(new[] { new FieldConflict(".data.a", "alice") { ApiVersion = "v1", Operation = "Apply", Time = "2024-05-01T12:00:00Z" } }));
            Assert.That(outcome.ConflictMessage(), Is.EqualTo("Apply failed with 1 conflict: conflict with \"alice\": .data.a"));
        });
    }

    [Test]
    public void SeveralConflictsAreGroupedByManagerInTheMessage()
    {
        var live = Applied(null, ConfigMapConfig("""{"a":"1","b":"1"}"""), "alice", schema: ConfigMap);
        var outcome = FieldManager.Apply(live, ConfigMapConfig("""{"a":"2","b":"2"}"""), "bob", force: false, ConfigMap, Now);
        Assert.That(outcome.ConflictMessage(), Is.EqualTo("Apply failed with 2 conflicts: conflicts with \"alice\":\n- .data.a\n- .data.b"));
    }

    [Test]
    public void UnknownKindsMergeWithAPermissiveSchema()
    {
        var schema = new SchemaRegistry().Get("unknown.example.com", "v1", "Widget");
        JsonObject Widget(string spec) => Obj("""{"apiVersion":"unknown.example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":""" + spec + "}");
        var live = Applied(null, Widget("""{"list":[1,2],"nested":{"a":1}}"""), "alice", schema: schema);
        var result = Applied(live, Widget("""{"list":[3],"nested":{"b":2}}"""), "bob", force: true, schema: schema);

        AssertJsonEqual(result["spec"], """{"list":[3],"nested":{"a":1,"b":2}}""");
        Assert.That(FieldManager.Apply(result, Widget("""{"list":[4]}"""), "alice", false, schema, Now).Conflicts.Select(c => c.Path),
            Is.EqualTo(new[] { ".spec.list" }));
    }

    [Test]
    public void ForceTakesOwnershipFromTheOtherManager()
    {
        var live = Applied(null, ConfigMapConfig("""{"a":"1","b":"1"}"""), "alice", schema: ConfigMap);
        var result = Applied(live, ConfigMapConfig("""{"a":"2"}"""), "bob", force: true, schema: ConfigMap);

        AssertJsonEqual(result["data"], """{"a":"2","b":"1"}""");
        AssertJsonEqual(FieldsOf(result, "alice"), """{"f:data":{"f:b":{}}}""");
        AssertJsonEqual(FieldsOf(result, "bob"), """{"f:data":{"f:a":{}}}""");
    }

    [Test]
    public void FieldsNoLongerAppliedAreRemovedAndDefaultingResetsThem()
    {
        var live = Applied(null, DeploymentConfig("""{"replicas":3,"paused":true}"""), "alice");
        var result = Applied(live, DeploymentConfig("""{"paused":true}"""), "alice");

        Assert.That(result["spec"]!.AsObject().ContainsKey("replicas"), Is.False);
        Deployment.ApplyDefaults(result);
        Assert.That(result["spec"]!["replicas"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public void ListItemsNoLongerAppliedAreRemovedButOthersItemsStay()
    {
        var containers = """{"template":{"spec":{"containers":[{"name":"app","image":"app:1"},{"name":"debug","image":"busybox"}]}}}""";
        var live = Applied(null, DeploymentConfig(containers), "alice");
        live = FieldManager.RecordUpdate(live, WithContainer(live, """{"name":"injected","image":"proxy"}"""), "injector", Deployment, Now);

        var result = Applied(live, DeploymentConfig("""{"template":{"spec":{"containers":[{"name":"app","image":"app:1"}]}}}"""), "alice");

        var names = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Assert.That(names, Is.EqualTo(new[] { "app", "injected" }));
    }

    [Test]
    public void AnItemKeptBecauseAnotherManagerOwnsPartOfItKeepsItsKeyButLosesTheApplierFields()
    {
        var live = Applied(null, DeploymentConfig("""{"template":{"spec":{"containers":[{"name":"app","image":"app:1","workingDir":"/w"}]}}}"""), "alice");
        var edited = (JsonObject)live.DeepClone();
        edited["spec"]!["template"]!["spec"]!["containers"]![0]!["args"] = new JsonArray("run");
        live = FieldManager.RecordUpdate(live, edited, "editor", Deployment, Now);

        var result = Applied(live, DeploymentConfig("""{"paused":false}"""), "alice");

        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"], """[{"name":"app","args":["run"]}]""");
    }

    [Test]
    public void ReplicasHandedToAnAutoscalerStayWhenTheApplierDropsThem()
    {
        var live = Applied(null, DeploymentConfig("""{"replicas":3,"paused":false}"""), "alice");
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 5;
        live = FieldManager.RecordUpdate(live, scaled, "hpa", Deployment, Now);

        AssertJsonEqual(FieldsOf(live, "hpa", "Update"), """{"f:spec":{"f:replicas":{}}}""");
        AssertJsonEqual(FieldsOf(live, "alice"), """{"f:spec":{"f:paused":{}}}""");

        var result = Applied(live, DeploymentConfig("""{"paused":false}"""), "alice");
        Assert.That(result["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(5));
    }

    [Test]
    public void ReapplyingReplicasAfterTheAutoscalerChangedThemConflictsWithIt()
    {
        var live = Applied(null, DeploymentConfig("""{"replicas":3}"""), "alice");
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = 5;
        live = FieldManager.RecordUpdate(live, scaled, "hpa", Deployment, Now);

        var outcome = FieldManager.Apply(live, DeploymentConfig("""{"replicas":3}"""), "alice", force: false, Deployment, Now);

        Assert.That(outcome.Conflicts.Select(c => (c.Path, c.Manager)), Is.EqualTo(new[] { (".spec.replicas", "hpa") }));
        Assert.That(outcome.ConflictMessage(), Is.EqualTo("Apply failed with 1 conflict: conflict with \"hpa\" using apps/v1: .spec.replicas"));
    }

    [Test]
    public void DocumentedHandOverApplierReleasesReplicasAfterTheAutoscalerSharesThem()
    {
        // The documented path: the autoscaler's controller applies the same value (shared ownership), the user
        // removes replicas from its configuration, and the field stays with the autoscaler.
        var live = Applied(null, DeploymentConfig("""{"replicas":3}"""), "alice");
        live = Applied(live, DeploymentConfig("""{"replicas":3}"""), "handover-helper");
        live = Applied(live, DeploymentConfig("""{"paused":false}"""), "alice");

        Assert.That(live["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(3));
        AssertJsonEqual(FieldsOf(live, "handover-helper"), """{"f:spec":{"f:replicas":{}}}""");
        AssertJsonEqual(FieldsOf(live, "alice"), """{"f:spec":{"f:paused":{}}}""");
    }

    [Test]
    public void MapListsMergeByKeysWithLiveItemsKeptInPlace()
    {
        var live = Applied(null, DeploymentConfig("""
            {"template":{"spec":{"containers":[{"name":"app","image":"app:1","env":[{"name":"A","value":"1"}]}]}}}
            """), "alice");
        live = FieldManager.RecordUpdate(live, WithContainer(live, """{"name":"proxy","image":"proxy:1"}"""), "injector", Deployment, Now);

        var result = Applied(live, DeploymentConfig("""
            {"template":{"spec":{"containers":[{"name":"app","image":"app:2","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"worker","image":"w:1"}]}}}
            """), "alice");

        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"], """
            [{"name":"app","image":"app:2","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
             {"name":"proxy","image":"proxy:1"},
             {"name":"worker","image":"w:1"}]
            """);
    }

    [Test]
    public void AtomicListsAreReplacedAndOwnedWhole()
    {
        var config = DeploymentConfig("""{"template":{"spec":{"containers":[{"name":"app","image":"a","args":["x","y"]}]}}}""");
        var live = Applied(null, config, "alice");
        var result = Applied(live, DeploymentConfig("""{"template":{"spec":{"containers":[{"name":"app","image":"a","args":["z"]}]}}}"""), "alice");

        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"]![0]!["args"], """["z"]""");
        var fields = FieldsOf(result, "alice")!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"app\"}"]!;
        AssertJsonEqual(fields["f:args"], "{}");
    }

    [Test]
    public void StatusIsIgnoredOnTheMainResourceAndOnlyStatusIsTakenThroughTheStatusSubresource()
    {
        var withStatus = DeploymentConfig("""{"replicas":2}""");
        withStatus["status"] = JsonNode.Parse("""{"readyReplicas":9}""");
        var live = Applied(null, withStatus, "alice");
        Assert.That(live.ContainsKey("status"), Is.False);

        var statusConfig = DeploymentConfig("""{"replicas":7}""");
        statusConfig["status"] = JsonNode.Parse("""{"readyReplicas":2}""");
        var outcome = FieldManager.Apply(live, statusConfig, "controller", force: false, Deployment, Now, subresource: "status");

        Assert.That(outcome.Succeeded, Is.True);
        var result = outcome.Result!;
        Assert.That(result["spec"]!["replicas"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(result["status"]!["readyReplicas"]!.GetValue<int>(), Is.EqualTo(2));
        var entry = result["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == "controller")!;
        Assert.That(entry["subresource"]!.GetValue<string>(), Is.EqualTo("status"));
        AssertJsonEqual(entry["fieldsV1"], """{"f:status":{"f:readyReplicas":{}}}""");
    }

    [Test]
    public void ServerOwnedMetadataIsNeverManagedAndNameIsNotAConflict()
    {
        var config = Obj("""
            {"apiVersion":"v1","kind":"ConfigMap",
             "metadata":{"name":"cm","namespace":"default","uid":"u","resourceVersion":"7","labels":{"app":"x"}},
             "data":{"a":"1"}}
            """);
        var live = Applied(null, config, "alice", schema: ConfigMap);
        var result = Applied(live, config, "bob", schema: ConfigMap);

        AssertJsonEqual(FieldsOf(result, "bob"), """{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""");
        Assert.That(result["metadata"]!.AsObject().ContainsKey("uid"), Is.False);
    }

    [Test]
    public void FirstApplyToAnObjectWithoutManagedFieldsConflictsWithExistingValues()
    {
        var live = ConfigMapConfig("""{"a":"1"}""");
        var outcome = FieldManager.Apply(live, ConfigMapConfig("""{"a":"2"}"""), "alice", force: false, ConfigMap, Now);
        Assert.That(outcome.Conflicts.Select(c => c.Manager), Is.EqualTo(new[] { FieldManager.BeforeFirstApplyManager }));

        var same = FieldManager.Apply(live, ConfigMapConfig("""{"a":"1"}"""), "alice", force: false, ConfigMap, Now);
        Assert.That(same.Succeeded, Is.True);
    }

    [Test]
    public void DoesNotModifyItsInputs()
    {
        var live = Applied(null, ConfigMapConfig("""{"a":"1"}"""), "alice", schema: ConfigMap);
        var before = live.ToJsonString();
        var config = ConfigMapConfig("""{"b":"1"}""");
        _ = Applied(live, config, "alice", schema: ConfigMap);
        Assert.That(live.ToJsonString(), Is.EqualTo(before));
        AssertJsonEqual(config, ConfigMapConfig("""{"b":"1"}""").ToJsonString());
    }

    [Test]
    public void CustomResourceListMapKeysDriveMerging()
    {
        var registry = SchemaRegistry.CreateBuiltIn();
        registry.RegisterCustom("example.com", "v1", "Pool", Obj("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "workers":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                "items":{"type":"object","properties":{"name":{"type":"string"},"replicas":{"type":"integer"}}}}}}}}
            """));
        var schema = registry.Get("example.com", "v1", "Pool");
        JsonObject Pool(string workers) => Obj("""{"apiVersion":"example.com/v1","kind":"Pool","metadata":{"name":"p"},"spec":{"workers":""" + workers + "}}");

        var live = Applied(null, Pool("""[{"name":"a","replicas":1}]"""), "alice", schema: schema);
        live = Applied(live, Pool("""[{"name":"b","replicas":2}]"""), "bob", schema: schema);

        AssertJsonEqual(live["spec"]!["workers"], """[{"name":"a","replicas":1},{"name":"b","replicas":2}]""");
    }

    private static JsonObject WithContainer(JsonObject live, string container)
    {
        var copy = (JsonObject)live.DeepClone();
        copy["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(JsonNode.Parse(container));
        return copy;
    }
}
