// CRD validation rules (x-kubernetes-validations) are evaluated on create and update, with kube-apiserver's error
// format: 422 Invalid, one cause per failed rule, `<path>: Invalid value: "<schema type>": <message>`.
using Operator.Celery.Crd;

namespace Operator.IntegrationTests.Emulator;

public sealed class ValidationRuleTests(ClusterTarget target) : ConformanceFixture(target)
{
    private const string GadgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: gadgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - {rule: "self.minReplicas <= self.maxReplicas", fieldPath: .minReplicas, message: minReplicas must not exceed maxReplicas}
                    - {rule: "!has(self.size) || self.size % 2 == 0", messageExpression: "'size ' + string(self.size) + ' is odd'"}
                    - {rule: "!has(self.owner) || self.owner != 'root'", fieldPath: .owner, reason: FieldValueForbidden, message: root may not own a gadget}
                    - {rule: "!has(self.tags) || self.tags.all(t, t.lowerAscii() == t)"}
                    properties:
                      minReplicas: {type: integer}
                      maxReplicas: {type: integer}
                      size: {type: integer}
                      owner: {type: string}
                      tags: {type: array, items: {type: string}}
                      mode:
                        type: string
                        x-kubernetes-validations:
                        - {rule: "self == oldSelf", message: mode is immutable}
        """;

    private const string GadgetGroup = "example.com";

    private static JsonObject Gadget(string name, string spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Gadget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = JsonNode.Parse(spec),
    };

    private async Task InstallGadgetsAsync()
    {
        (await Cluster.Kubectl.RunWithInputAsync(GadgetCrd, "apply", "--server-side", "-f", "-")).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("wait", "--for=condition=Established", "crd/gadgets.example.com", $"--timeout={(int)Target.SettleTimeout.TotalSeconds}s")).EnsureSuccess();
    }

    private async Task<JsonObject> CreateAsync(JsonObject gadget) => Widgets.Parse(
        await Cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(gadget, GadgetGroup, "v1", Cluster.Namespace, "gadgets"));

    /// <summary>The Status of a write the server refused with 422.</summary>
    private static JsonNode Refused(Func<Task> write)
    {
        var error = Assert.ThrowsAsync<HttpOperationException>(async () => await write());
        Assert.That(error!.Response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), error.Response.Content);
        return JsonNode.Parse(error.Response.Content)!;
    }

    private static void AssertOneCause(JsonNode status, string reason, string field, string message)
    {
        var causes = status["details"]!["causes"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(status["reason"]!.GetValue<string>(), Is.EqualTo("Invalid"));
            Assert.That(causes, Has.Count.EqualTo(1), status.ToJsonString());
            Assert.That(causes[0]!["reason"]!.GetValue<string>(), Is.EqualTo(reason));
            Assert.That(causes[0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
            Assert.That(causes[0]!["message"]!.GetValue<string>(), Is.EqualTo(message));
        });
    }

    [Test]
    public async Task ARuleWithFieldPathAndMessageRefusesTheObject()
    {
        await InstallGadgetsAsync();
        var status = Refused(() => CreateAsync(Gadget("g1", """{"minReplicas": 5, "maxReplicas": 3}""")));
        AssertOneCause(status, "FieldValueInvalid", "spec.minReplicas", "Invalid value: \"object\": minReplicas must not exceed maxReplicas");
        Assert.That(status["message"]!.GetValue<string>(), Is.EqualTo(
            "Gadget.example.com \"g1\" is invalid: spec.minReplicas: Invalid value: \"object\": minReplicas must not exceed maxReplicas"));

        var kubectl = await Cluster.Kubectl.RunWithInputAsync(
            $"{{\"apiVersion\": \"example.com/v1\", \"kind\": \"Gadget\", \"metadata\": {{\"name\": \"g1\", \"namespace\": \"{Cluster.Namespace}\"}}, \"spec\": {{\"minReplicas\": 5, \"maxReplicas\": 3}}}}",
            "create", "-f", "-");
        Assert.That(kubectl.ExitCode, Is.Not.Zero);
        Assert.That(kubectl.Error, Does.Contain("spec.minReplicas: Invalid value: \"object\": minReplicas must not exceed maxReplicas"));

        await CreateAsync(Gadget("g2", """{"minReplicas": 3, "maxReplicas": 3}"""));
    }

    [Test]
    public async Task MessageExpressionReasonAndDefaultMessage()
    {
        await InstallGadgetsAsync();
        var odd = Refused(() => CreateAsync(Gadget("g1", """{"minReplicas": 1, "maxReplicas": 3, "size": 3}""")));
        AssertOneCause(odd, "FieldValueInvalid", "spec", "Invalid value: \"object\": size 3 is odd");

        var root = Refused(() => CreateAsync(Gadget("g1", """{"minReplicas": 1, "maxReplicas": 3, "owner": "root"}""")));
        AssertOneCause(root, "FieldValueForbidden", "spec.owner", "Forbidden: root may not own a gadget");

        var upper = Refused(() => CreateAsync(Gadget("g1", """{"minReplicas": 1, "maxReplicas": 3, "tags": ["Loud"]}""")));
        AssertOneCause(upper, "FieldValueInvalid", "spec", "Invalid value: \"object\": failed rule: !has(self.tags) || self.tags.all(t, t.lowerAscii() == t)");
    }

    [Test]
    public async Task SchemaErrorsStopTheRules()
    {
        await InstallGadgetsAsync();
        var status = Refused(() => CreateAsync(Gadget("g1", """{"minReplicas": "five", "maxReplicas": 3}""")));
        var causes = status["details"]!["causes"]!.AsArray().Select(c => (c!["field"]!.GetValue<string>(), c["message"]!.GetValue<string>())).ToList();
        Assert.That(causes, Is.EqualTo(new[]
        {
            ("spec.minReplicas", "Invalid value: \"string\": spec.minReplicas in body must be of type integer: \"string\""),
            ("<nil>", "Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"),
        }));
    }

    [Test]
    public async Task ATransitionRuleComparesWithTheStoredObject()
    {
        await InstallGadgetsAsync();
        var created = await CreateAsync(Gadget("g1", """{"minReplicas": 1, "maxReplicas": 3, "mode": "fast"}"""));
        created["spec"]!["mode"] = "slow";
        var status = Refused(() => Cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, GadgetGroup, "v1", Cluster.Namespace, "gadgets", "g1"));
        AssertOneCause(status, "FieldValueInvalid", "spec.mode", "Invalid value: \"string\": mode is immutable");

        created["spec"]!["mode"] = "fast";
        created["spec"]!["maxReplicas"] = 4;
        var replaced = Widgets.Parse(await Cluster.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, GadgetGroup, "v1", Cluster.Namespace, "gadgets", "g1"));
        Assert.That(replaced["spec"]!["maxReplicas"]!.GetValue<int>(), Is.EqualTo(4));
    }

    [Test]
    public async Task TheCeleryCrdRulesRefuseMinReplicasAboveMaxReplicas()
    {
        (await Cluster.Kubectl.RunAsync("apply", "--server-side", "-f", Path.Combine(RepositoryRoot.Path, CeleryCustomResourceDefinition.RepositoryPath))).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("wait", "--for=condition=Established", "crd/celeries.celeryproject.org", $"--timeout={(int)Target.SettleTimeout.TotalSeconds}s")).EnsureSuccess();
        static JsonObject Celery(string name, int min, int max) => new()
        {
            ["apiVersion"] = "celeryproject.org/v1alpha1",
            ["kind"] = "Celery",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = JsonNode.Parse("""
                {"image": "img:1", "app": "proj", "broker": {"type": "redis", "urlSecretRef": {"name": "s", "key": "url"}},
                 "workers": [{"name": "w", "autoscaling": {"minReplicas": MIN, "maxReplicas": MAX, "cpu": {"targetUtilization": 50}}}]}
                """.Replace("MIN", $"{min}", StringComparison.Ordinal).Replace("MAX", $"{max}", StringComparison.Ordinal)),
        };

        var status = Refused(() => Cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Celery("c1", 5, 3), "celeryproject.org", "v1alpha1", Cluster.Namespace, "celeries"));
        AssertOneCause(status, "FieldValueInvalid", "spec.workers[0].autoscaling.minReplicas", "Invalid value: \"object\": minReplicas must not exceed maxReplicas");
        await Cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Celery("c2", 1, 3), "celeryproject.org", "v1alpha1", Cluster.Namespace, "celeries");
    }

    [Test]
    public async Task ACrdWhoseRuleDoesNotCompileIsRefused()
    {
        var crd = GadgetCrd.Replace("gadgets", "brokengadgets", StringComparison.Ordinal).Replace("Gadget}", "BrokenGadget}", StringComparison.Ordinal)
            .Replace("singular: gadget", "singular: brokengadget", StringComparison.Ordinal)
            .Replace("self == oldSelf", "self ==", StringComparison.Ordinal);
        var result = await Cluster.Kubectl.RunWithInputAsync(crd, "create", "-f", "-");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Error, Does.Contain("spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[mode].x-kubernetes-validations[0].rule").And.Contain("compilation failed"));
    }
}
