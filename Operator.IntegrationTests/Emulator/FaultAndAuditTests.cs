using System.Net.Http.Json;
using Operator.Emulator.Faults;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
[EmulatorOnly("tests the emulator's own fault injection and audit log")]
internal sealed class FaultAndAuditTests : EmulatorSessionTest
{
    [Test]
    public async Task CountedRuleFailsExactlyThatManyMatchingRequests()
    {
        Session.Emulator.Faults.Add(new FaultRule(429, Verb: "create", Resource: "configmaps", Count: 2, RetryAfterSeconds: 3));
        using var http = new HttpClient { BaseAddress = Session.Emulator.BaseAddress };
        var body = JsonContent.Create(new { metadata = new { name = "x" } });
        var first = await http.PostAsync("/api/v1/namespaces/default/configmaps", body);
        Assert.Multiple(async () =>
        {
            Assert.That((int)first.StatusCode, Is.EqualTo(429));
            Assert.That(first.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
            var status = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
            Assert.That(status["reason"]!.GetValue<string>(), Is.EqualTo("TooManyRequests"));
        });
        await Session.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        var second = Assert.ThrowsAsync<HttpOperationException>(() => CreateConfigMapAsync("y"));
        Assert.That((int)second!.Response.StatusCode, Is.EqualTo(429));
        var third = await CreateConfigMapAsync("z");
        Assert.That(third.Metadata.Name, Is.EqualTo("z"));
    }

    [Test]
    public async Task ControlEndpointAddsRulesAndClears()
    {
        using var http = new HttpClient { BaseAddress = Session.Emulator.BaseAddress };
        var added = await http.PostAsJsonAsync("/emulator/faults/rules", new { statusCode = 503, verb = "get", resource = "configmaps" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await CreateConfigMapAsync("a");
        var failing = Assert.ThrowsAsync<HttpOperationException>(() => Session.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "default"));
        Assert.That((int)failing!.Response.StatusCode, Is.EqualTo(503));
        Assert.That((await http.DeleteAsync("/emulator/faults")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await Session.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "default")).Metadata.Name, Is.EqualTo("a"));
        Assert.That((await http.PostAsync("/emulator/faults/compact", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Session.Emulator.Store.OldestWatchableResourceVersion(null), Is.EqualTo(Session.Emulator.Store.Snapshot.ResourceVersion));
    }

    [Test]
    public async Task LatencyDelaysRequests()
    {
        Session.Emulator.Faults.SetLatency(TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Session.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.That(started.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
    }

    [Test]
    public async Task AuditRecordsWhoDidWhat()
    {
        using var operatorClient = Session.ClientFor("operator");
        await operatorClient.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a" } }, "default", fieldManager: "celery-operator");
        await Session.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        Assert.ThrowsAsync<HttpOperationException>(() => operatorClient.CoreV1.ReadNamespacedConfigMapAsync("missing", "default"));
        var writes = Session.Emulator.Audit.Writes("operator");
        Assert.That(writes, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(writes[0].Verb, Is.EqualTo("create"));
            Assert.That(writes[0].Resource, Is.EqualTo("configmaps"));
            Assert.That(writes[0].Namespace, Is.EqualTo("default"));
            Assert.That(writes[0].FieldManager, Is.EqualTo("celery-operator"));
            Assert.That(writes[0].StatusCode, Is.EqualTo(201));
            Assert.That(writes[0].UserAgent, Is.Not.Empty);
        });
        var reads = Session.Emulator.Audit.Query(user: "operator", verb: "get");
        Assert.That(reads.Select(entry => (entry.Name, entry.StatusCode)), Is.EqualTo(new[] { ((string?)"missing", 404) }));
        Assert.That(Session.Emulator.Audit.Permissions("tester"), Does.Contain(("get", "", "configmaps", (string?)null)));

        using var http = new HttpClient { BaseAddress = Session.Emulator.BaseAddress };
        var overHttp = JsonNode.Parse(await http.GetStringAsync("/emulator/audit?user=operator&verb=create"))!.AsArray();
        Assert.That(overHttp, Has.Count.EqualTo(1));
        Assert.That(overHttp[0]!["fieldManager"]!.GetValue<string>(), Is.EqualTo("celery-operator"));
    }
}
