using Operator.Emulator.Patching;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class JsonPatchTests
{
    [Test]
    public void AddsToObjectsAndArrays()
    {
        var result = JsonPatch.Apply(
            Obj("""{"spec":{"args":["a","c"]}}"""),
            Arr("""[{"op":"add","path":"/spec/args/1","value":"b"},{"op":"add","path":"/spec/args/-","value":"d"},{"op":"add","path":"/spec/replicas","value":3}]"""));
        AssertJsonEqual(result, """{"spec":{"args":["a","b","c","d"],"replicas":3}}""");
    }

    [Test]
    public void RemovesAndReplaces()
    {
        var result = JsonPatch.Apply(
            Obj("""{"a":1,"b":[1,2,3],"c":"x"}"""),
            Arr("""[{"op":"remove","path":"/a"},{"op":"remove","path":"/b/0"},{"op":"replace","path":"/c","value":{"d":true}}]"""));
        AssertJsonEqual(result, """{"b":[2,3],"c":{"d":true}}""");
    }

    [Test]
    public void UnescapesTildeAndSlashInPointers()
    {
        var result = JsonPatch.Apply(
            Obj("""{"metadata":{"annotations":{"example.com/a~b":"old"}}}"""),
            Arr("""[{"op":"replace","path":"/metadata/annotations/example.com~1a~0b","value":"new"}]"""));
        AssertJsonEqual(result, """{"metadata":{"annotations":{"example.com/a~b":"new"}}}""");
    }

    [Test]
    public void MovesAndCopies()
    {
        var result = JsonPatch.Apply(
            Obj("""{"a":{"x":1},"b":{}}"""),
            Arr("""[{"op":"copy","from":"/a/x","path":"/b/y"},{"op":"move","from":"/a","path":"/c"}]"""));
        AssertJsonEqual(result, """{"b":{"y":1},"c":{"x":1}}""");
    }

    [Test]
    public void TestComparesNumbersByValue()
    {
        var result = JsonPatch.Apply(Obj("""{"n":1}"""), Arr("""[{"op":"test","path":"/n","value":1.0},{"op":"replace","path":"/n","value":2}]"""));
        AssertJsonEqual(result, """{"n":2}""");
    }

    [Test]
    public void FailedTestRejectsTheWholePatchAndLeavesTheTargetAlone()
    {
        var target = Obj("""{"n":1}""");
        var error = Assert.Throws<PatchException>(() =>
            JsonPatch.Apply(target, Arr("""[{"op":"replace","path":"/n","value":5},{"op":"test","path":"/n","value":1}]""")));
        Assert.That(error!.StatusCode, Is.EqualTo(422));
        AssertJsonEqual(target, """{"n":1}""");
    }

    [TestCase("""[{"op":"remove","path":"/missing"}]""", 422)]
    [TestCase("""[{"op":"replace","path":"/list/5","value":1}]""", 422)]
    [TestCase("""[{"op":"add","path":"/list/01","value":1}]""", 422)]
    [TestCase("""[{"op":"add","path":"/nope/x","value":1}]""", 422)]
    [TestCase("""[{"op":"move","from":"/obj","path":"/obj/inner"}]""", 422)]
    [TestCase("""[{"op":"jump","path":"/a"}]""", 422)]
    [TestCase("""[{"op":"add","path":"/a"}]""", 400)]
    [TestCase("""[{"op":"add","path":"a","value":1}]""", 400)]
    [TestCase("""[{"op":"add","path":"/a~2","value":1}]""", 400)]
    [TestCase("""[{"path":"/a"}]""", 400)]
    public void RejectsOperationsThatCannotApply(string operations, int statusCode)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Obj("""{"list":[1],"obj":{}}"""), Arr(operations)));
        Assert.That(error!.StatusCode, Is.EqualTo(statusCode));
    }

    [Test]
    public void EmptyPathReplacesTheDocument() =>
        AssertJsonEqual(JsonPatch.Apply(Obj("""{"a":1}"""), Arr("""[{"op":"replace","path":"","value":{"b":2}}]""")), """{"b":2}""");
}
