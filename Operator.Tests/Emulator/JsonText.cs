// Parsing and comparing JSON in tests: documents are written as JSON text, compared semantically.
using System.Text.Json.Nodes;

namespace Operator.Tests.Emulator;

internal static class JsonText
{
    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonArray Arr(string json) => JsonNode.Parse(json)!.AsArray();

    public static void AssertJsonEqual(JsonNode? actual, string expectedJson)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"expected {expected?.ToJsonString()}\n but was {actual?.ToJsonString()}");
    }
}
