// Requests kube-apiserver refuses or answers in a particular way: an update of a custom resource without a
// resourceVersion (422), names over 253 characters (the length message), field selectors on fields a kind cannot
// be selected by (400), and dry-run writes, whose answer keeps the stored resourceVersion so `kubectl diff` of an
// unchanged object shows nothing.

namespace Operator.IntegrationTests.Emulator;

public sealed class RequestValidationTests(ClusterTarget target) : ConformanceFixture(target)
{
    private static HttpOperationException Refused(HttpStatusCode code, Func<Task> request)
    {
        var error = Assert.ThrowsAsync<HttpOperationException>(async () => await request());
        Assert.That(error!.Response.StatusCode, Is.EqualTo(code), error.Response.Content);
        return error;
    }

    private static string Message(HttpOperationException error) => JsonNode.Parse(error.Response.Content)!["message"]!.GetValue<string>();

    [Test]
    public async Task ReplacingACustomResourceWithoutResourceVersionIsInvalid()
    {
        await Cluster.InstallWidgetsAsync();
        var created = await Widgets.CreateAsync(Cluster, "w1", 2);
        created["metadata"]!.AsObject().Remove("resourceVersion");
        created["spec"]!["size"] = 3;
        var error = Refused(HttpStatusCode.UnprocessableEntity,
            () => Cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, Widgets.Group, Widgets.Version, Cluster.Namespace, Widgets.Plural, "w1"));
        Assert.That(Message(error), Is.EqualTo("Widget.example.com \"w1\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"));

        var config = await Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, Cluster.Namespace);
        config.Metadata.ResourceVersion = null;
        config.Data = new Dictionary<string, string> { ["k"] = "v" };
        var replaced = await Cluster.Client.CoreV1.ReplaceNamespacedConfigMapAsync(config, "c", Cluster.Namespace);
        Assert.That(replaced.Data["k"], Is.EqualTo("v"), "built-in kinds allow unconditional updates");
    }

    [Test]
    public void ANameLongerThan253CharactersGetsTheLengthMessage()
    {
        var name = new string('a', 254);
        var error = Refused(HttpStatusCode.UnprocessableEntity,
            () => Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, Cluster.Namespace));
        Assert.That(Message(error), Is.EqualTo($"ConfigMap \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": must be no more than 253 characters"));

        var both = Refused(HttpStatusCode.UnprocessableEntity,
            () => Cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Upper" } }, Cluster.Namespace));
        Assert.That(Message(both), Is.EqualTo("ConfigMap \"Upper\" is invalid: metadata.name: Invalid value: \"Upper\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
    }

    [Test]
    public async Task FieldSelectorsNameOnlyFieldsTheKindSupports()
    {
        await Cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, Type = "Opaque" }, Cluster.Namespace);
        var byType = await Cluster.Client.CoreV1.ListNamespacedSecretAsync(Cluster.Namespace, fieldSelector: "type=Opaque,metadata.name=s");
        Assert.That(byType.Items.Select(s => s.Metadata.Name), Is.EqualTo(new[] { "s" }));

        var secretField = Refused(HttpStatusCode.BadRequest, () => Cluster.Client.CoreV1.ListNamespacedSecretAsync(Cluster.Namespace, fieldSelector: "data.key=x"));
        Assert.That(Message(secretField), Is.EqualTo("field label not supported: data.key"));
        var configMapField = Refused(HttpStatusCode.BadRequest, () => Cluster.Client.CoreV1.ListNamespacedConfigMapAsync(Cluster.Namespace, fieldSelector: "type=x"));
        Assert.That(Message(configMapField), Is.EqualTo("field label not supported: type"));

        var kubectl = await Cluster.Kubectl.RunAsync("get", "deployments", "-n", Cluster.Namespace, "--field-selector", "spec.replicas=1");
        Assert.That(kubectl.ExitCode, Is.Not.Zero);
        Assert.That(kubectl.Error, Does.Contain("field label not supported: spec.replicas"));
    }

    [Test]
    public async Task DryRunAnswersKeepTheResourceVersionSoDiffShowsNothingUnchanged()
    {
        var manifest = $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: diffed, namespace: {{Cluster.Namespace}}}
            data: {a: "1"}
            """;
        (await Cluster.Kubectl.RunWithInputAsync(manifest, "apply", "--server-side", "-f", "-")).EnsureSuccess();
        var same = await Cluster.Kubectl.RunWithInputAsync(manifest, "diff", "--server-side", "-f", "-");
        Assert.That((same.ExitCode, same.Output), Is.EqualTo((0, string.Empty)), same.Error);

        var changed = await Cluster.Kubectl.RunWithInputAsync(manifest.Replace("a: \"1\"", "a: \"2\"", StringComparison.Ordinal), "diff", "--server-side", "-f", "-");
        var lines = changed.Output.Split('\n').Where(line => line.Length > 1 && line[0] is '-' or '+' && !line.StartsWith("---", StringComparison.Ordinal) && !line.StartsWith("+++", StringComparison.Ordinal)).ToList();
        Assert.That(lines, Is.EqualTo(new[] { "-  a: \"1\"", "+  a: \"2\"" }), changed.Output);

        var stored = await Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("diffed", Cluster.Namespace);
        var dryRun = await Cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"3"}}""", V1Patch.PatchType.MergePatch), "diffed", Cluster.Namespace, dryRun: "All");
        Assert.Multiple(() =>
        {
            Assert.That(dryRun.Metadata.ResourceVersion, Is.EqualTo(stored.Metadata.ResourceVersion));
            Assert.That(dryRun.Data["a"], Is.EqualTo("3"));
        });
    }
}
