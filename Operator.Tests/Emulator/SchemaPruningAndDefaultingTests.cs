using System.Text.Json.Nodes;
using Operator.Emulator.Schema;
using static Operator.Tests.Emulator.JsonText;

namespace Operator.Tests.Emulator;

public sealed class SchemaPruningAndDefaultingTests
{
    private static readonly TypeSchema App = CustomSchemaFixture.Create();
    private static readonly SchemaRegistry Registry = SchemaRegistry.CreateBuiltIn();

    private static JsonObject AppWith(string spec) =>
        Obj("""{"apiVersion":"celery.example.com/v1","kind":"CeleryApp","metadata":{"name":"a","namespace":"n","uid":"u","labels":{"x":"y"},"bogus":1},"spec":""" + spec + "}");

    [Test]
    public void PrunesUndeclaredFieldsButKeepsStandardFields()
    {
        var obj = AppWith("""{"broker":"redis://x","unknown":1,"workers":[{"name":"w","junk":true}],"extra":{"known":"k","anything":{"deep":1}}}""");
        obj["topLevelJunk"] = 1;

        App.Prune(obj);

        AssertJsonEqual(obj, """
            {"apiVersion":"celery.example.com/v1","kind":"CeleryApp","metadata":{"name":"a","namespace":"n","uid":"u","labels":{"x":"y"}},
             "spec":{"broker":"redis://x","workers":[{"name":"w"}],"extra":{"known":"k","anything":{"deep":1}}}}
            """);
    }

    [Test]
    public void PruningKeepsEmbeddedResourceIdentityAndNullsOnlyWhereNullable()
    {
        var obj = AppWith("""{"broker":"redis://x","note":null,"mode":null,"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"x":1}}}""");
        App.Prune(obj);
        AssertJsonEqual(obj["spec"], """{"broker":"redis://x","note":null,"template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"x":1}}}""");
    }

    [Test]
    public void BuiltInKindsKeepFieldsTheirSchemaDoesNotDeclare()
    {
        var deployment = Registry.Get("apps", "v1", "Deployment");
        var obj = Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{"spec":{"hostNetwork":true,"containers":[{"name":"a","image":"a","stdin":true}]}}}}""");
        var before = obj.ToJsonString();
        deployment.Prune(obj);
        Assert.That(obj.ToJsonString(), Is.EqualTo(before));
    }

    [Test]
    public void AppliesDefaultsRecursivelyWhereTheParentExists()
    {
        var obj = AppWith("""{"broker":"redis://x","workers":[{"name":"w"},{"name":"v","replicas":5,"resources":{"cpu":"1"}}]}""");
        App.ApplyDefaults(obj);
        AssertJsonEqual(obj["spec"], """
            {"broker":"redis://x","mode":"safe","replicas":1,
             "workers":[{"name":"w","replicas":2,"resources":{"cpu":"100m"}},{"name":"v","replicas":5,"resources":{"cpu":"1"}}]}
            """);

        var noSpec = Obj("""{"apiVersion":"celery.example.com/v1","kind":"CeleryApp","metadata":{"name":"a"}}""");
        App.ApplyDefaults(noSpec);
        Assert.That(noSpec.ContainsKey("spec"), Is.False);
    }

    [Test]
    public void DefaultsReplaceNullInNonNullableFields()
    {
        var obj = AppWith("""{"broker":"redis://x","mode":null}""");
        App.ApplyDefaults(obj);
        Assert.That(obj["spec"]!["mode"]!.GetValue<string>(), Is.EqualTo("safe"));
    }

    [Test]
    public void DeploymentDefaults()
    {
        var deployment = Registry.Get("apps", "v1", "Deployment");
        var obj = Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
             "spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[
               {"name":"latest","image":"nginx:latest","ports":[{"containerPort":80}]},
               {"name":"untagged","image":"registry:5000/team/nginx"},
               {"name":"pinned","image":"nginx:1.25"},
               {"name":"digest","image":"nginx@sha256:abc","imagePullPolicy":"Never"}]}}}}
            """);
        deployment.ApplyDefaults(obj);

        var spec = obj["spec"]!;
        AssertJsonEqual(spec["replicas"], "1");
        AssertJsonEqual(spec["strategy"], """{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""");
        AssertJsonEqual(spec["revisionHistoryLimit"], "10");
        AssertJsonEqual(spec["progressDeadlineSeconds"], "600");
        var pod = spec["template"]!["spec"]!;
        Assert.Multiple(() =>
        {
            Assert.That(pod["restartPolicy"]!.GetValue<string>(), Is.EqualTo("Always"));
            Assert.That(pod["dnsPolicy"]!.GetValue<string>(), Is.EqualTo("ClusterFirst"));
            Assert.That(pod["schedulerName"]!.GetValue<string>(), Is.EqualTo("default-scheduler"));
            Assert.That(pod["terminationGracePeriodSeconds"]!.GetValue<int>(), Is.EqualTo(30));
            AssertJsonEqual(pod["securityContext"], "{}");
        });
        var containers = pod["containers"]!.AsArray();
        Assert.That(containers.Select(c => c!["imagePullPolicy"]!.GetValue<string>()), Is.EqualTo(new[] { "Always", "Always", "IfNotPresent", "Never" }));
        Assert.That(containers[0]!["terminationMessagePath"]!.GetValue<string>(), Is.EqualTo("/dev/termination-log"));
        Assert.That(containers[0]!["terminationMessagePolicy"]!.GetValue<string>(), Is.EqualTo("File"));
        AssertJsonEqual(containers[0]!["ports"], """[{"containerPort":80,"protocol":"TCP"}]""");
    }

    [Test]
    public void RecreateStrategyGetsNoRollingUpdateDefaults()
    {
        var deployment = Registry.Get("apps", "v1", "Deployment");
        var obj = Obj("""{"apiVersion":"apps/v1","kind":"Deployment","spec":{"strategy":{"type":"Recreate"}}}""");
        deployment.ApplyDefaults(obj);
        AssertJsonEqual(obj["spec"]!["strategy"], """{"type":"Recreate"}""");
    }

    [Test]
    public void ServiceDefaults()
    {
        var service = Registry.Get("", "v1", "Service");
        var obj = Obj("""{"apiVersion":"v1","kind":"Service","spec":{"ports":[{"port":80},{"port":5555,"targetPort":"flower","protocol":"UDP"}]}}""");
        service.ApplyDefaults(obj);
        AssertJsonEqual(obj["spec"], """
            {"type":"ClusterIP","sessionAffinity":"None",
             "ports":[{"port":80,"protocol":"TCP","targetPort":80},{"port":5555,"targetPort":"flower","protocol":"UDP"}]}
            """);
    }
}
