// What a write does with fields the kind does not declare, as kube-apiserver 1.32 decides it: create, update and
// patch follow fieldValidation (Strict refuses, Warn, the default, drops them with a Warning header, Ignore drops
// them); a server-side apply fails on them whatever fieldValidation says; an apply's explicit null is invalid.

namespace Operator.IntegrationTests.Emulator;

[Category(PatchEngine.Category)]
public sealed class FieldValidationTests(ClusterTarget target) : ConformanceFixture(target)
{
    private const string BogusConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"},"data":{"a":"b"},"bogus":1}""";

    private string ConfigMaps => $"/api/v1/namespaces/{Cluster.Namespace}/configmaps";

    private string Widgets => $"/apis/{Emulator.Widgets.Group}/{Emulator.Widgets.Version}/namespaces/{Cluster.Namespace}/{Emulator.Widgets.Plural}";

    private static string Named(string template, string name) => template.Replace("NAME", name, StringComparison.Ordinal);

    [Test]
    public async Task CreateOfABuiltInKindFollowsFieldValidation()
    {
        var strict = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps + "?fieldValidation=Strict", Named(BogusConfigMap, "strict"));
        Assert.That(strict.StatusCode, Is.EqualTo(400));
        Assert.That(strict.Message, Is.EqualTo("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"bogus\""));

        var warned = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps, Named(BogusConfigMap, "warn"));
        Assert.That(warned.StatusCode, Is.EqualTo(201), warned.Message);
        Assert.That(warned.Warnings, Is.EqualTo(new[] { "unknown field \"bogus\"" }), "Warn is the default");
        Assert.That(warned.Body!["bogus"], Is.Null);

        var ignored = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps + "?fieldValidation=Ignore", Named(BogusConfigMap, "ignore"));
        Assert.That(ignored.StatusCode, Is.EqualTo(201), ignored.Message);
        Assert.That(ignored.Warnings, Is.Empty);
        var stored = await RawApi.SendAsync(Cluster.Client, HttpMethod.Get, ConfigMaps + "/ignore");
        Assert.That(stored.Body!["bogus"], Is.Null, "an undeclared field is never stored");
        Assert.That(stored.Body!["data"]!["a"]!.GetValue<string>(), Is.EqualTo("b"));
    }

    [Test]
    public async Task CustomResourceCreateAndUpdateFollowFieldValidation()
    {
        await Cluster.InstallWidgetsAsync();
        var body = Emulator.Widgets.Make("w", 1);
        body["spec"]!["unknown"] = "x";
        var strict = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, Widgets + "?fieldValidation=Strict", body.ToJsonString());
        Assert.That(strict.StatusCode, Is.EqualTo(400));
        Assert.That(strict.Message, Is.EqualTo("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.unknown\""));

        var warned = await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, Widgets + "?fieldValidation=Warn", body.ToJsonString());
        Assert.That(warned.StatusCode, Is.EqualTo(201), warned.Message);
        Assert.That(warned.Warnings, Is.EqualTo(new[] { "unknown field \"spec.unknown\"" }));
        Assert.That(warned.Body!["spec"]!["unknown"], Is.Null);

        var update = warned.Body!.AsObject();
        update["spec"]!["other"] = 2;
        var refused = await RawApi.SendAsync(Cluster.Client, HttpMethod.Put, Widgets + "/w?fieldValidation=Strict", update.ToJsonString());
        Assert.That(refused.StatusCode, Is.EqualTo(400));
        Assert.That(refused.Message, Does.EndWith("strict decoding error: unknown field \"spec.other\""));
    }

    [Test]
    public async Task StrictPatchIsInvalidOnThePatchField()
    {
        Assert.That((await RawApi.SendAsync(Cluster.Client, HttpMethod.Post, ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p"}}""")).StatusCode, Is.EqualTo(201));
        var strict = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/p?fieldValidation=Strict", """{"bogus":1}""", RawApi.MergePatch);
        Assert.That(strict.StatusCode, Is.EqualTo(422));
        Assert.That(strict.Body!["details"]!["causes"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("patch"));
        Assert.That(strict.Message, Does.EndWith("strict decoding error: unknown field \"bogus\""));

        var warned = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/p", """{"bogus":1,"data":{"k":"v"}}""", RawApi.MergePatch);
        Assert.That(warned.StatusCode, Is.EqualTo(200), warned.Message);
        Assert.That(warned.Warnings, Is.EqualTo(new[] { "unknown field \"bogus\"" }));
        Assert.That(warned.Body!["data"]!["k"]!.GetValue<string>(), Is.EqualTo("v"));
    }

    [TestCase("Strict")]
    [TestCase("Warn")]
    [TestCase("Ignore")]
    public async Task ApplyOfAnUndeclaredFieldFailsWhateverFieldValidationSays(string validation)
    {
        var applied = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, $"{ConfigMaps}/c?fieldManager=m&fieldValidation={validation}",
            Named(BogusConfigMap, "c"), RawApi.ApplyPatch);
        Assert.That(applied.StatusCode, Is.EqualTo(500));
        Assert.That(applied.Message, Is.EqualTo("failed to create typed patch object (/c; /v1, Kind=ConfigMap): .bogus: field not declared in schema"));
        Assert.That((await RawApi.SendAsync(Cluster.Client, HttpMethod.Get, ConfigMaps + "/c")).StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task KubectlRefusesAnUndeclaredFieldAndWarnsWhenAskedTo()
    {
        var manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kc}\ndata: {a: b}\nbogus: 1\n";
        var strict = await Cluster.Kubectl.RunWithInputAsync(manifest, "create", "-f", "-");
        Assert.That(strict.ExitCode, Is.Not.Zero);
        Assert.That(strict.Error, Does.Contain("strict decoding error: unknown field \"bogus\""));

        var warned = await Cluster.Kubectl.RunWithInputAsync(manifest, "create", "--validate=warn", "-f", "-");
        warned.EnsureSuccess();
        Assert.That(warned.Error, Does.Contain("Warning: unknown field \"bogus\""));
    }

    [Test]
    public async Task ApplyOfAnExplicitNullIsInvalid()
    {
        await Cluster.InstallWidgetsAsync();
        var body = Emulator.Widgets.Make("w", 1);
        body["spec"]!["size"] = null;
        var applied = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, Widgets + "/w?fieldManager=m", body.ToJsonString(), RawApi.ApplyPatch);
        Assert.That(applied.StatusCode, Is.EqualTo(422), applied.Message);
        Assert.That(applied.Message, Does.Contain("spec.size"));
    }

    [Test]
    public async Task ApplyWithoutFieldManagerIsInvalidPatchOptions()
    {
        var applied = await RawApi.SendAsync(Cluster.Client, HttpMethod.Patch, ConfigMaps + "/c", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""", RawApi.ApplyPatch);
        Assert.That(applied.StatusCode, Is.EqualTo(422));
        Assert.That(applied.Reason, Is.EqualTo("Invalid"));
        Assert.That(applied.Message, Is.EqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"));
    }

    [Test]
    public async Task ReplacingAMissingObjectIsNotFound()
    {
        var replaced = await RawApi.SendAsync(Cluster.Client, HttpMethod.Put, ConfigMaps + "/missing", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"missing"}}""");
        Assert.That((replaced.StatusCode, replaced.Reason, replaced.Message), Is.EqualTo((404, "NotFound", "configmaps \"missing\" not found")));
        var kubectl = await Cluster.Kubectl.RunWithInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: missing}\n", "replace", "-f", "-");
        Assert.That(kubectl.ExitCode, Is.Not.Zero);
        Assert.That(kubectl.Error, Does.Contain("(NotFound)").And.Contain("configmaps \"missing\" not found"));
    }
}
