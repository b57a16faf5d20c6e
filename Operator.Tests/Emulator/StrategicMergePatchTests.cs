using Operator.Emulator.Patching;
using Operator.Emulator.Schema;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class StrategicMergePatchTests
{
    private static readonly TypeSchema Deployment = SchemaRegistry.CreateBuiltIn().Get("apps", "v1", "Deployment");

    private static string Containers(string containers) =>
        """{"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":{"containers":""" + containers + "}}}}";

    [Test]
    public void MergesContainersByNameAndKeepsOthers()
    {
        var live = Obj(Containers("""[{"name":"app","image":"app:1","env":[{"name":"A","value":"1"}]},{"name":"sidecar","image":"s:1"}]"""));
        var patch = Obj(Containers("""[{"name":"app","image":"app:2","env":[{"name":"B","value":"2"}]}]"""));
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"],
            """[{"name":"app","image":"app:2","env":[{"name":"B","value":"2"},{"name":"A","value":"1"}]},{"name":"sidecar","image":"s:1"}]""");
    }

    [Test]
    public void PatchDeleteRemovesAListItemAndNullRemovesAField()
    {
        var live = Obj(Containers("""[{"name":"app","image":"app:1","workingDir":"/w"},{"name":"sidecar","image":"s:1"}]"""));
        var patch = Obj(Containers("""[{"name":"sidecar","$patch":"delete"},{"name":"app","workingDir":null}]"""));
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"], """[{"name":"app","image":"app:1"}]""");
    }

    [Test]
    public void PatchReplaceReplacesAnObject()
    {
        var live = Obj("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""");
        var patch = Obj("""{"spec":{"strategy":{"$patch":"replace","type":"Recreate"}}}""");
        AssertJsonEqual(StrategicMergePatch.Apply(live, patch, Deployment), """{"spec":{"strategy":{"type":"Recreate"}}}""");
    }

    [Test]
    public void ReplaceDirectiveInAListReplacesTheList()
    {
        var live = Obj(Containers("""[{"name":"a","image":"a"},{"name":"b","image":"b"}]"""));
        var patch = Obj(Containers("""[{"$patch":"replace"},{"name":"c","image":"c"}]"""));
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"], """[{"name":"c","image":"c"}]""");
    }

    [Test]
    public void AtomicListsAreReplaced()
    {
        var live = Obj(Containers("""[{"name":"app","image":"app","args":["a","b"]}]"""));
        var patch = Obj(Containers("""[{"name":"app","args":["c"]}]"""));
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"]![0]!["args"], """["c"]""");
    }

    [Test]
    public void ContainerPortsMergeByContainerPort()
    {
        var live = Obj(Containers("""[{"name":"app","image":"app","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":9090,"protocol":"TCP"}]}]"""));
        var patch = Obj(Containers("""[{"name":"app","ports":[{"containerPort":80,"name":"http"}]}]"""));
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"],
            """[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":9090,"protocol":"TCP"}]""");
    }

    [Test]
    public void FinalizersMergeAsASetAndDeleteFromPrimitiveListRemoves()
    {
        var live = Obj("""{"metadata":{"finalizers":["a","b"]}}""");
        var patch = Obj("""{"metadata":{"finalizers":["c","a"],"$deleteFromPrimitiveList/finalizers":["b"]}}""");
        // As kube-apiserver orders a merged list: the patch's items in the patch's order (server-only ones interleaved).
        AssertJsonEqual(StrategicMergePatch.Apply(live, patch, Deployment), """{"metadata":{"finalizers":["c","a"]}}""");
    }

    [Test]
    public void SetElementOrderOrdersTheMergedList()
    {
        var live = Obj(Containers("""[{"name":"a","image":"a"},{"name":"b","image":"b"}]"""));
        var patch = Obj("""
            {"spec":{"template":{"spec":{
              "$setElementOrder/containers":[{"name":"c"},{"name":"b"},{"name":"a"}],
              "containers":[{"name":"c","image":"c"}]}}}}
            """);
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        var names = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Assert.That(names, Is.EqualTo(new[] { "c", "b", "a" }));
    }

    [Test]
    public void RetainKeysDropsFieldsNotListed()
    {
        var live = Obj("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""");
        var patch = Obj("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");
        AssertJsonEqual(StrategicMergePatch.Apply(live, patch, Deployment), """{"spec":{"strategy":{"type":"Recreate"}}}""");
    }

    [Test]
    public void LabelsMergeAsAMap()
    {
        var live = Obj("""{"metadata":{"labels":{"a":"1","b":"2"}}}""");
        var patch = Obj("""{"metadata":{"labels":{"b":null,"c":"3"}}}""");
        AssertJsonEqual(StrategicMergePatch.Apply(live, patch, Deployment), """{"metadata":{"labels":{"a":"1","c":"3"}}}""");
    }

    [Test]
    public void NoDirectiveSurvivesIntoNewFields()
    {
        var live = Obj("""{"spec":{}}""");
        var patch = Obj(Containers("""[{"name":"app","image":"app","env":[{"name":"X","value":"1"},{"name":"Y","$patch":"delete"}]}]"""));
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        AssertJsonEqual(result["spec"]!["template"]!["spec"]!["containers"], """[{"name":"app","image":"app","env":[{"name":"X","value":"1"}]}]""");
    }

    [Test]
    public void RejectsItemsWithoutTheMergeKeyAndUnknownDirectives()
    {
        var live = Obj(Containers("""[]"""));
        Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(live, Obj(Containers("""[{"image":"x"}]""")), Deployment));
        var unknown = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(live, Obj("""{"spec":{"$patch":"explode"}}"""), Deployment));
        Assert.That(unknown!.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public void DoesNotModifyTheTarget()
    {
        var live = Obj("""{"metadata":{"labels":{"a":"1"}}}""");
        _ = StrategicMergePatch.Apply(live, Obj("""{"metadata":{"labels":{"a":"2"}}}"""), Deployment);
        AssertJsonEqual(live, """{"metadata":{"labels":{"a":"1"}}}""");
    }
}
