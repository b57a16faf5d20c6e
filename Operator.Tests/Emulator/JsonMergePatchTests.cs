using Operator.Emulator.Patching;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class JsonMergePatchTests
{
    [Test]
    public void MergesObjectsRecursivelyAndNullDeletes()
    {
        var target = Obj("""{"a":"b","c":{"d":"e","f":"g"}}""");
        var result = JsonMergePatch.Apply(target, Obj("""{"a":"z","c":{"f":null}}"""));
        AssertJsonEqual(result, """{"a":"z","c":{"d":"e"}}""");
    }

    [Test]
    public void ReplacesArraysAndDoesNotModifyTheTarget()
    {
        var target = Obj("""{"list":[1,2,3],"keep":true}""");
        var result = JsonMergePatch.Apply(target, Obj("""{"list":[4]}"""));
        AssertJsonEqual(result, """{"list":[4],"keep":true}""");
        AssertJsonEqual(target, """{"list":[1,2,3],"keep":true}""");
    }

    [TestCase("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [TestCase("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [TestCase("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [TestCase("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [TestCase("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [TestCase("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [TestCase("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [TestCase("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [TestCase("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [TestCase("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void FollowsTheRfc7386Examples(string target, string patch, string expected) =>
        AssertJsonEqual(JsonMergePatch.Apply(System.Text.Json.Nodes.JsonNode.Parse(target), System.Text.Json.Nodes.JsonNode.Parse(patch)), expected);
}
