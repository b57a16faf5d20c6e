// StoredObject.MetadataCopy reads the top-level metadata out of the stored bytes without parsing the rest: it must
// equal what parsing the whole object gives, wherever metadata sits among the members and whatever nested
// "metadata" members other values hold (a Deployment's pod template has one).
using System.Text;
using Operator.Emulator.Storage;

namespace Operator.IntegrationTests.Emulator;

public sealed class StoredObjectMetadataTests
{
    private static readonly GroupResource Deployments = new("apps", "deployments");

    private static StoredObject Stored(string json) =>
        new(Deployments, new ObjectKey("team", "web"), 1, "apps/v1", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(json));

    [TestCase("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":2},"spec":{"replicas":1}}""", TestName = "metadata before the spec")]
    [TestCase("""{"spec":{"template":{"metadata":{"name":"pod"}},"list":[1,{"metadata":3}]},"status":"x","metadata":{"name":"web"}}""", TestName = "nested metadata members before it are not it")]
    [TestCase("""{"kind":"Deployment","metadata":{"name":"w\u00e9b","annotations":{"note":"a \"quoted\" <tag> & \ud83d\ude00","big":12345678901234567890}}}""", TestName = "escapes and big numbers kept as written")]
    [TestCase("""{"kind":"Deployment","metadata":null}""", TestName = "null metadata")]
    [TestCase("""{"kind":"Deployment","spec":{}}""", TestName = "no metadata")]
    [TestCase("""{}""", TestName = "empty object")]
    public void MetadataCopyEqualsTheMetadataOfTheWholeObject(string json)
    {
        var stored = Stored(json);

        var copy = stored.MetadataCopy();
        var whole = stored.ToJsonObject()["metadata"];

        Assert.That(JsonNode.DeepEquals(copy, whole), Is.True, $"copy {copy?.ToJsonString()} against {whole?.ToJsonString()}");
        Assert.That(copy?.ToJsonString(), Is.EqualTo(whole?.ToJsonString()), "the same text once written");
        Assert.That(copy?.Parent, Is.Null, "a copy the caller may attach anywhere");
    }

    [Test]
    public void MetadataCopyIsIndependentOfTheStoredBytes()
    {
        var stored = Stored("""{"metadata":{"name":"web","labels":{"app":"shop"}},"data":{"k":"v"}}""");

        var copy = stored.MetadataCopy()!.AsObject();
        copy["labels"]!["app"] = "changed";

        Assert.That(stored.MetadataCopy()!["labels"]!["app"]!.GetValue<string>(), Is.EqualTo("shop"));
    }
}
