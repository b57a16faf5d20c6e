// Measures the emulator's throughput over real HTTP (numbers recorded in docs/emulator.md). The floors asserted are
// far below what it reaches, so the tests fail only on a real regression.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Category("Emulator")]
[Category("Benchmark")]
public sealed class ThroughputTests
{
    private const int Writers = 4;
    private const int WritesPerWriter = 1000;

    [Test]
    public async Task SmallWritesPerSecond()
    {
        await using var session = await EmulatorSession.StartAsync();
        using var http = Client(session);
        await http.PostAsync("/api/v1/namespaces/default/configmaps", Json("""{"metadata":{"name":"warm"}}"""));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json($$$"""{"metadata":{"name":"cm-{{{writer}}}"}}"""));
            for (var i = 0; i < WritesPerWriter; i++)
            {
                using var response = await http.PutAsync($"/api/v1/namespaces/default/configmaps/cm-{writer}",
                    Json($$$"""{"metadata":{"name":"cm-{{{writer}}}"},"data":{"n":"{{{i}}}"}}"""));
                response.EnsureSuccessStatusCode();
            }
        })));
        var perSecond = Writers * WritesPerWriter / clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"small writes: {perSecond:F0}/s ({Writers} writers x {WritesPerWriter} PUTs in {clock.Elapsed.TotalSeconds:F2}s)");
        Assert.That(perSecond, Is.GreaterThan(300));
    }

    [Test]
    public async Task WatchEventsPerSecond()
    {
        const int Events = 5000;
        await using var session = await EmulatorSession.StartAsync();
        var start = session.Emulator.Store.Snapshot.ResourceVersion;
        var type = session.Emulator.Service.Catalog.Find("", "v1", "configmaps")!;
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, $"/api/v1/configmaps?watch=true&resourceVersion={start}");
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Events; i++)
            {
                session.Emulator.Service.Create(type, "default", new System.Text.Json.Nodes.JsonObject
                {
                    ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = $"cm-{i}" },
                }, new Operator.Emulator.Api.WriteRequest("bench"));
            }
        });
        var received = 0;
        while (received < Events && await watch.NextAsync(TimeSpan.FromSeconds(30)) is not null)
        {
            received++;
        }

        await writer;
        var perSecond = received / clock.Elapsed.TotalSeconds;
        TestContext.Out.WriteLine($"watch events: {perSecond:F0}/s ({received} events in {clock.Elapsed.TotalSeconds:F2}s)");
        Assert.That(received, Is.EqualTo(Events));
        Assert.That(perSecond, Is.GreaterThan(500));
    }

    private static HttpClient Client(EmulatorSession session)
    {
        var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bench");
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

}
