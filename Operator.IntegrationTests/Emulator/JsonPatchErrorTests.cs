// A JSON patch that cannot apply, answered as kube-apiserver 1.32 answers it: a generic 422 (reason Invalid, message
// "the server rejected our request due to an error in our request") whose one cause, of type
// UnexpectedServerResponse, carries the JSON patch library's own text; a body that is not a list of operations is 400.

namespace Operator.IntegrationTests.Emulator;

[Category(PatchEngine.Category)]
public sealed class JsonPatchErrorTests(ClusterTarget target) : ConformanceFixture(target)
{
    private const string Rejected = "the server rejected our request due to an error in our request";

    private string ConfigMaps => $"/api/v1/namespaces/{Cluster.Namespace}/configmaps";

    private async Task<RawResponse> PatchAsync(string name, string patch)
    {
        var created = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps, $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"a":"b"}}""");
        Assert.That(created.StatusCode, Is.EqualTo(201), created.Message);
        return await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, $"{ConfigMaps}/{name}", patch, RawApi.JsonPatch);
    }

    [TestCase("test", """[{"op":"test","path":"/data/a","value":"c"}]""", "testing value /data/a failed: test failed")]
    [TestCase("remove-key", """[{"op":"remove","path":"/data/x"}]""", "error in remove for path: '/data/x': Unable to remove nonexistent key: x: missing value")]
    [TestCase("remove-parent", """[{"op":"remove","path":"/spec/x"}]""", "remove operation does not apply: doc is missing path: \"/spec/x\": missing value")]
    [TestCase("add-parent", """[{"op":"add","path":"/spec/x","value":1}]""", "add operation does not apply: doc is missing path: \"/spec/x\": missing value")]
    [TestCase("replace-parent", """[{"op":"replace","path":"/spec/x","value":1}]""", "replace operation does not apply: doc is missing path: /spec/x: missing value")]
    [TestCase("unknown-op", """[{"op":"jump","path":"/data/a"}]""", "Unexpected kind: jump")]
    public async Task AnOperationThatCannotApplyIsAGeneric422WithTheLibraryText(string name, string patch, string text)
    {
        var patched = await PatchAsync(name, patch);
        Assert.That((patched.StatusCode, patched.Reason, patched.Message), Is.EqualTo((422, "Invalid", Rejected)));
        var cause = patched.Body!["details"]!["causes"]![0]!;
        Assert.That((cause["reason"]!.GetValue<string>(), cause["message"]!.GetValue<string>()), Is.EqualTo(("UnexpectedServerResponse", text)));
        Assert.That(cause["field"], Is.Null);
    }

    [Test]
    public async Task ATestOfAMissingKeyForNullPasses()
    {
        var patched = await PatchAsync("null", """[{"op":"test","path":"/data/x","value":null},{"op":"add","path":"/data/y","value":"z"}]""");
        Assert.That(patched.StatusCode, Is.EqualTo(200), patched.Message);
        Assert.That(patched.Body!["data"]!["y"]!.GetValue<string>(), Is.EqualTo("z"));
    }

    [Test]
    public async Task ABodyThatIsNotAListOfOperationsIsBadRequest()
    {
        var patched = await PatchAsync("object", """{"op":"add"}""");
        Assert.That((patched.StatusCode, patched.Reason, patched.Message), Is.EqualTo((400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")));
    }

    [Test]
    public async Task KubectlPrintsTheRejection()
    {
        Assert.That((await PatchAsync("kc", "[]")).StatusCode, Is.EqualTo(200));
        var result = await Cluster.Kubectl.RunAsync("patch", "configmap", "kc", "-n", Cluster.Namespace, "--type=json", "-p", """[{"op":"test","path":"/data/a","value":"c"}]""");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error, Does.Contain("The request is invalid").And.Contain("testing value /data/a failed: test failed"), "kubectl prints the causes");
    }
}
