using System.Text.Json.Nodes;
using Operator.Emulator.Patching;
using Operator.Emulator.Schema;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class FieldManagerUpdateTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);
    private static readonly TypeSchema ConfigMap = SchemaRegistry.CreateBuiltIn().Get("", "v1", "ConfigMap");
    private static readonly TypeSchema Deployment = SchemaRegistry.CreateBuiltIn().Get("apps", "v1", "Deployment");

    private static JsonObject ConfigMapWith(string data) => Obj(
        """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default","labels":{"app":"x"}},"data":""" + data + "}");

    private static JsonArray Entries(JsonObject obj) => obj["metadata"]!["managedFields"]!.AsArray();

    private static JsonObject Copy(JsonObject obj) => (JsonObject)obj.DeepClone();

    [Test]
    public void CreateGivesTheWriterEveryFieldItSetIncludingNewMaps()
    {
        var created = FieldManager.RecordUpdate(null, ConfigMapWith("""{"a":"1"}"""), "kubectl-create", ConfigMap, Now);

        var entry = Entries(created).Single()!;
        Assert.That(entry["operation"]!.GetValue<string>(), Is.EqualTo("Update"));
        AssertJsonEqual(entry["fieldsV1"], """{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}""");
    }

    [Test]
    public void ChangedFieldsMoveToTheWriterAndEmptyManagersAreDropped()
    {
        var live = FieldManager.RecordUpdate(null, ConfigMapWith("""{"a":"1"}"""), "creator", ConfigMap, Now);
        var edited = Copy(live);
        edited["data"]!["a"] = "2";
        edited["metadata"]!["labels"] = null;
        edited["metadata"]!.AsObject().Remove("labels");
        edited["data"]!.AsObject().Remove("a");
        edited["data"]!["b"] = "3";

        var result = FieldManager.RecordUpdate(live, edited, "editor", ConfigMap, Later);

        var managers = Entries(result).Select(e => e!["manager"]!.GetValue<string>()).ToList();
        Assert.That(managers, Is.EqualTo(new[] { "creator", "editor" }));
        AssertJsonEqual(Entries(result)[0]!["fieldsV1"], """{"f:data":{}}""");
        AssertJsonEqual(Entries(result)[1]!["fieldsV1"], """{"f:data":{"f:b":{}}}""");

        var takeover = Copy(result);
        takeover.Remove("data");
        takeover["metadata"]!["labels"] = new JsonObject { ["team"] = "x" };
        var final = FieldManager.RecordUpdate(result, takeover, "editor", ConfigMap, Later);
        Assert.That(Entries(final).Select(e => e!["manager"]!.GetValue<string>()), Is.EqualTo(new[] { "editor" }));
    }

    [Test]
    public void UpdateTakesFieldsFromAnApplier()
    {
        var applied = FieldManager.Apply(null, ConfigMapWith("""{"a":"1","b":"1"}"""), "alice", false, ConfigMap, Now).Result!;
        var edited = Copy(applied);
        edited["data"]!["a"] = "9";

        var result = FieldManager.RecordUpdate(applied, edited, "bob", ConfigMap, Later);

        var alice = Entries(result).Single(e => e!["manager"]!.GetValue<string>() == "alice")!;
        AssertJsonEqual(alice["fieldsV1"], """{"f:data":{"f:b":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""");
        var bob = Entries(result).Single(e => e!["manager"]!.GetValue<string>() == "bob")!;
        AssertJsonEqual(bob["fieldsV1"], """{"f:data":{"f:a":{}}}""");
        Assert.That(bob["time"]!.GetValue<string>(), Is.EqualTo("2024-05-01T12:05:00Z"));
    }

    [Test]
    public void ManagersAreGroupedPerOperationAndSubresource()
    {
        var deployment = Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":1}}""");
        var live = FieldManager.Apply(null, deployment, "ctl", false, Deployment, Now).Result!;
        var scaled = Copy(live);
        scaled["spec"]!["replicas"] = 4;
        live = FieldManager.RecordUpdate(live, scaled, "ctl", Deployment, Later, subresource: "scale");
        var withStatus = Copy(live);
        withStatus["status"] = JsonNode.Parse("""{"replicas":4}""");
        live = FieldManager.RecordUpdate(live, withStatus, "ctl", Deployment, Later, subresource: "status");

        var entries = Entries(live).Select(e => (
            e!["operation"]!.GetValue<string>(),
            e["subresource"]?.GetValue<string>(),
            e["fieldsV1"]!.ToJsonString())).ToList();
        Assert.That(entries, Is.EqualTo(new[]
        {
            ("Update", (string?)"scale", """{"f:spec":{"f:replicas":{}}}"""),
            ("Update", (string?)"status", """{"f:status":{".":{},"f:replicas":{}}}"""),
        }));
    }

    [Test]
    public void MainResourceWritesDoNotTrackStatusOfKindsWithAStatusSubresource()
    {
        var deployment = Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":1},"status":{"replicas":1}}""");
        var created = FieldManager.RecordUpdate(null, deployment, "creator", Deployment, Now);
        AssertJsonEqual(Entries(created).Single()!["fieldsV1"], """{"f:spec":{".":{},"f:replicas":{}}}""");
    }

    [Test]
    public void ClientSentManagedFieldsReplaceTheStoredOnes()
    {
        var live = FieldManager.RecordUpdate(null, ConfigMapWith("""{"a":"1"}"""), "creator", ConfigMap, Now);
        var reset = Copy(live);
        reset["metadata"]!["managedFields"] = JsonNode.Parse("""[{}]""");
        var result = FieldManager.RecordUpdate(live, reset, "resetter", ConfigMap, Later);
        Assert.That(result["metadata"]!.AsObject().ContainsKey("managedFields"), Is.False);
    }

    [Test]
    public void NoChangeKeepsTheWriterTimestamp()
    {
        var live = FieldManager.RecordUpdate(null, ConfigMapWith("""{"a":"1"}"""), "writer", ConfigMap, Now);
        var result = FieldManager.RecordUpdate(live, Copy(live), "writer", ConfigMap, Later);
        Assert.That(Entries(result).Single()!["time"]!.GetValue<string>(), Is.EqualTo("2024-05-01T12:00:00Z"));
    }

    [Test]
    public void ReadsBackWhatItWrites()
    {
        var created = FieldManager.RecordUpdate(null, ConfigMapWith("""{"a":"1"}"""), "creator", ConfigMap, Now);
        var applied = FieldManager.Apply(created, ConfigMapWith("""{"a":"1"}"""), "alice", false, ConfigMap, Later);
        Assert.That(applied.Succeeded, Is.True);
        var creator = Entries(applied.Result!).Single(e => e!["manager"]!.GetValue<string>() == "creator")!;
        AssertJsonEqual(creator["fieldsV1"], """{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}""");
    }
}
