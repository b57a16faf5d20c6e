// Scenario 6: resources mutated from valid ones in the ways users get specs wrong, mixed with valid ones in the
// same namespaces. Whatever the API server admits, the operator must survive; each invalid one must end with a
// Ready=False condition naming the field (InvalidSpec), or the broker reason for an unreadable broker; what
// the API server rejects must be rejected with the field named; the valid neighbours must converge.
using System.Diagnostics;
using Operator.Celery.Model;

namespace Operator.IntegrationTests.Chaos;

[Category("Chaos")]
public sealed class BadInputTests
{
    private const int Mutations = 10;

    [Test]
    public async Task InvalidResourcesAreReportedAndTheirValidNeighboursConverge()
    {
        await using var op = await InProcessOperator.StartClusterAsync();
        var fleet = new CeleryFleet(op.Client, ChaosScale.Seed);
        await fleet.CreateNamespacesAsync(ChaosScale.Resources);
        foreach (var ns in fleet.Namespaces)
        {
            await op.Client.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = "odd-broker", NamespaceProperty = ns }, StringData = new Dictionary<string, string> { ["url"] = "kafka+foo://broker:9092/0" } }, ns);
        }

        op.StartOperator();
        var rejected = new List<string>();
        var retrying = 0;
        var invalidAdmitted = 0;
        for (var i = 0; i < ChaosScale.Resources; i++)
        {
            var ns = fleet.Namespaces[i % fleet.Namespaces.Count];
            var kind = i % Mutations;
            var name = kind == 7 ? $"n{i}-".PadRight(63, 'x') : $"bad-{i}";
            var spec = Mutate(fleet.RandomSpec(), kind);
            var body = new JsonObject
            {
                ["apiVersion"] = CeleryResource.ApiVersionValue,
                ["kind"] = CeleryResource.KindValue,
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["spec"] = spec,
            };
            try
            {
                await fleet.CreateAsync(ns, body);
                invalidAdmitted += kind is 3 or 4 ? 1 : 0;
                retrying += kind is 5 or 6 ? 1 : 0;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                Assert.That(e.Response.Content, Does.Contain("spec.workers"), $"the API server's rejection of mutation {kind} names the field");
                rejected.Add($"{kind}: {e.Response.Content}");
            }
        }

        var stopped = Stopwatch.StartNew();
        op.AssertRunning();
        var figures = await ConvergenceVerdict.AssertAsync(new ConvergenceCheck(op.Client), () => Task.FromResult(op.Counters.Read()), () => op.Overlaps.Overlaps, stopped, TimeSpan.FromSeconds(90), retrying);
        op.AssertRunning();
        Assert.That(figures.Report.Invalid, Is.EqualTo(invalidAdmitted), "exactly the admitted invalid resources are reported invalid");
        TestContext.Out.WriteLine($"bad input: {ChaosScale.Resources} generated, {rejected.Count} rejected by the API server (mutations {string.Join(",", rejected.Select(r => r[..1]).Distinct())}), {invalidAdmitted} admitted invalid, {retrying} with an unreadable broker; {figures}");
    }

    // Mutations 0-2 leave the spec valid; 3-9 are the issue's list.
    private static JsonObject Mutate(JsonObject spec, int kind)
    {
        var workers = spec["workers"]!.AsArray();
        var first = workers[0]!.AsObject();
        switch (kind)
        {
            case 3: // min > max (and replicas with autoscaling, which only the operator checks)
                first["autoscaling"] = new JsonObject { ["minReplicas"] = 5, ["maxReplicas"] = 2, ["cpu"] = new JsonObject { ["targetUtilization"] = 50 } };
                break;
            case 4: // duplicate worker names
                workers.Add(new JsonObject { ["name"] = first["name"]!.GetValue<string>(), ["replicas"] = 1 });
                break;
            case 5: // unknown broker scheme
                spec["broker"]!["urlSecretRef"]!["name"] = "odd-broker";
                break;
            case 6: // missing Secret
                spec["broker"]!["urlSecretRef"]!["name"] = "absent";
                break;
            case 7: // name at the length limit (set by the caller); nothing else changes
                break;
            case 8: // queues with odd characters the schema allows
                first["queues"] = new JsonArray("q.ü/#:!", "очередь-1", "a|b;c", new string('q', 200));
                break;
            case 9: // huge values and strings that look like other types (fixed replicas, so no autoscaling beside them)
                first.Remove("autoscaling");
                first["replicas"] = 10000;
                first["concurrency"] = 1024;
                first["prefetchMultiplier"] = 10000;
                spec["env"] = new JsonArray(new JsonObject { ["name"] = "FLAG", ["value"] = "true" }, new JsonObject { ["name"] = "COUNT", ["value"] = "12345678901234567890" });
                spec["image"] = "registry.example.com/" + new string('i', 180) + ":1";
                break;
        }

        return spec;
    }
}
