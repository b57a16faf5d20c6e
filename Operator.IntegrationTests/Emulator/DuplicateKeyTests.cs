// A request body that repeats a key, as kube-apiserver 1.32 treats it: the last value wins, and fieldValidation
// decides what the repetition costs. Strict refuses (create and update 400 "strict decoding error: duplicate field",
// merge and JSON patches 422 on the field "patch", apply 400 "error strict decoding YAML"), Warn (the default) sends
// a Warning header per repetition, Ignore says nothing. YAML bodies name the line of the repeated key's value.

namespace Operator.IntegrationTests.Emulator;

[Category(PatchEngine.Category)]
public sealed class DuplicateKeyTests(ClusterTarget target) : ConformanceFixture(target)
{
    private const string RepeatedDataJson = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"},"data":{"a":"1","a":"2"}}""";

    // The repeated key's value is on line 7.
    private const string RepeatedDataYaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NAME\ndata:\n  a: \"1\"\n  a: \"2\"\n";

    private const string YamlRepetition = "line 7: key \"a\" already set in map";

    private string ConfigMaps => $"/api/v1/namespaces/{Cluster.Namespace}/configmaps";

    private static string Named(string template, string name) => template.Replace("NAME", name, StringComparison.Ordinal);

    private async Task<string?> StoredValueAsync(string name, string key)
    {
        var stored = await RawApi.SendAsync(Cluster.Client, HttpMethod.Get, $"{ConfigMaps}/{name}");
        Assert.That(stored.StatusCode, Is.EqualTo(200), stored.Message);
        return stored.Body!["data"]?[key]?.GetValue<string>();
    }

    private async Task CreateAsync(string name)
    {
        var created = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps, $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"a":"b"}}""");
        Assert.That(created.StatusCode, Is.EqualTo(201), created.Message);
    }

    [Test]
    public async Task CreateWithARepeatedKeyFollowsFieldValidation()
    {
        var strict = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps + "?fieldValidation=Strict", Named(RepeatedDataJson, "strict"));
        Assert.That((strict.StatusCode, strict.Reason), Is.EqualTo((400, "BadRequest")));
        Assert.That(strict.Message, Is.EqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: duplicate field \"data.a\""));
        Assert.That((await RawApi.SendAsync(Cluster.Client, HttpMethod.Get, ConfigMaps + "/strict")).StatusCode, Is.EqualTo(404));

        var warned = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps, Named(RepeatedDataJson, "warn"));
        Assert.That(warned.StatusCode, Is.EqualTo(201), warned.Message);
        Assert.That(warned.Warnings, Is.EqualTo(new[] { "duplicate field \"data.a\"" }), "Warn is the default");
        Assert.That(await StoredValueAsync("warn", "a"), Is.EqualTo("2"), "the last value wins");

        var ignored = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps + "?fieldValidation=Ignore", Named(RepeatedDataJson, "ignore"));
        Assert.That(ignored.StatusCode, Is.EqualTo(201), ignored.Message);
        Assert.That(ignored.Warnings, Is.Empty);
        Assert.That(await StoredValueAsync("ignore", "a"), Is.EqualTo("2"));
    }

    [Test]
    public async Task YamlUpdateWithARepeatedKeyNamesItsLine()
    {
        await CreateAsync("y");
        var strict = await RawApi.SendAsync(Cluster.Client, HttpMethod.Put, ConfigMaps + "/y?fieldValidation=Strict", Named(RepeatedDataYaml, "y"), "application/yaml");
        Assert.That(strict.StatusCode, Is.EqualTo(400), strict.Message);
        Assert.That(strict.Message, Is.EqualTo($"ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n  {YamlRepetition}"));
        Assert.That(await StoredValueAsync("y", "a"), Is.EqualTo("b"));

        var warned = await RawApi.SendAsync(Cluster.Client, HttpMethod.Put, ConfigMaps + "/y?fieldValidation=Warn", Named(RepeatedDataYaml, "y"), "application/yaml");
        Assert.That(warned.StatusCode, Is.EqualTo(200), warned.Message);
        Assert.That(warned.Warnings, Is.EqualTo(new[] { YamlRepetition }));
        Assert.That(await StoredValueAsync("y", "a"), Is.EqualTo("2"));
    }

    [Test]
    public async Task MergePatchWithARepeatedKeyIsInvalidOnThePatchFieldUnderStrict()
    {
        await CreateAsync("m");
        const string patch = """{"data":{"k":"1","k":"2"}}""";
        var strict = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/m?fieldValidation=Strict", patch, RawApi.MergePatch);
        Assert.That((strict.StatusCode, strict.Reason), Is.EqualTo((422, "Invalid")), strict.Message);
        Assert.That(strict.Body!["details"]!["causes"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("patch"));
        Assert.That(strict.Message, Does.EndWith("strict decoding error: duplicate field \"data.k\""));
        Assert.That(await StoredValueAsync("m", "k"), Is.Null);

        var warned = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/m", patch, RawApi.MergePatch);
        Assert.That(warned.StatusCode, Is.EqualTo(200), warned.Message);
        Assert.That(warned.Warnings, Is.EqualTo(new[] { "duplicate field \"data.k\"" }));
        Assert.That(await StoredValueAsync("m", "k"), Is.EqualTo("2"));

        var ignored = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/m?fieldValidation=Ignore", """{"data":{"k":"3","k":"4"}}""", RawApi.MergePatch);
        Assert.That(ignored.StatusCode, Is.EqualTo(200), ignored.Message);
        Assert.That(ignored.Warnings, Is.Empty);
        Assert.That(await StoredValueAsync("m", "k"), Is.EqualTo("4"));
    }

    [Test]
    public async Task JsonPatchOperationWithARepeatedKeyIsNamedByItsIndex()
    {
        await CreateAsync("j");
        const string patch = """[{"op":"add","path":"/data/first","path":"/data/second","value":"v"}]""";
        var strict = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/j?fieldValidation=Strict", patch, RawApi.JsonPatch);
        Assert.That(strict.StatusCode, Is.EqualTo(422), strict.Message);
        Assert.That(strict.Message, Does.EndWith("strict decoding error: json patch duplicate field \"[0].path\""));

        var warned = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/j", patch, RawApi.JsonPatch);
        Assert.That(warned.StatusCode, Is.EqualTo(200), warned.Message);
        Assert.That(warned.Warnings, Is.EqualTo(new[] { "json patch duplicate field \"[0].path\"" }));
        Assert.That((await StoredValueAsync("j", "first"), await StoredValueAsync("j", "second")), Is.EqualTo(((string?)null, "v")));
    }

    [TestCase("Strict", 400)]
    [TestCase("Warn", 201)]
    [TestCase("Ignore", 201)]
    public async Task ApplyWithARepeatedKeyIsDecodedStrictlyAfterMerging(string validation, int expected)
    {
        var applied = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, $"{ConfigMaps}/s?fieldManager=m&fieldValidation={validation}", Named(RepeatedDataYaml, "s"), RawApi.ApplyPatch);
        Assert.That(applied.StatusCode, Is.EqualTo(expected), applied.Message);
        if (validation == "Strict")
        {
            Assert.That(applied.Message, Is.EqualTo($"error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  {YamlRepetition}"));
            Assert.That((await RawApi.SendAsync(Cluster.Client, HttpMethod.Get, ConfigMaps + "/s")).StatusCode, Is.EqualTo(404));
            return;
        }

        Assert.That(applied.Warnings, Is.EqualTo(validation == "Warn" ? new[] { YamlRepetition } : []));
        Assert.That(await StoredValueAsync("s", "a"), Is.EqualTo("2"));
    }

    [Test]
    public async Task ApplyOfAJsonBodyWithARepeatedKeyNamesLineOne()
    {
        var applied = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, $"{ConfigMaps}/one?fieldManager=m&fieldValidation=Strict", Named(RepeatedDataJson, "one"), RawApi.ApplyPatch);
        Assert.That(applied.StatusCode, Is.EqualTo(400), applied.Message);
        Assert.That(applied.Message, Is.EqualTo("error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key \"a\" already set in map"));
    }

    [Test]
    public async Task KubectlSendingARawBodyWithARepeatedKeySeesTheStrictErrorOrTheWarning()
    {
        var strict = await Cluster.Kubectl.RunWithInputAsync(Named(RepeatedDataJson, "kc-strict"), "create", "--raw", ConfigMaps + "?fieldValidation=Strict", "-f", "-");
        Assert.That(strict.ExitCode, Is.Not.Zero);
        Assert.That(strict.Error, Does.Contain("strict decoding error: duplicate field \\\"data.a\\\"").Or.Contain("strict decoding error: duplicate field \"data.a\""));

        var warned = await Cluster.Kubectl.RunWithInputAsync(Named(RepeatedDataJson, "kc-warn"), "create", "--raw", ConfigMaps + "?fieldValidation=Warn", "-f", "-");
        warned.EnsureSuccess();
        Assert.That(warned.Error, Does.Contain("Warning: duplicate field \"data.a\""));
        Assert.That(await StoredValueAsync("kc-warn", "a"), Is.EqualTo("2"));
    }
}
