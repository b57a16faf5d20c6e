// Measures the emulator's throughput over real HTTP; the figures are recorded in docs/emulator.md. Nothing here
// asserts a speed (a busy machine must not fail a build): only that every request succeeded and every event arrived.
// Besides wall-clock rates it prints the process CPU time per operation (see BenchmarkMeasurement).
using System.Net.Http.Headers;
using System.Text;
using Operator.Emulator.Api;

namespace Operator.IntegrationTests.Emulator;

[TestFixture]
[Explicit("benchmark: run with --filter Category=Benchmark")]
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
        await WarmUpAsync(http);
        var measured = await MeasureAsync(writer => Task.Run(async () =>
        {
            using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json($$$"""{"metadata":{"name":"cm-{{{writer}}}"}}"""));
            created.EnsureSuccessStatusCode();
            for (var i = 0; i < WritesPerWriter; i++)
            {
                using var response = await http.PutAsync($"/api/v1/namespaces/default/configmaps/cm-{writer}",
                    Json($$$"""{"metadata":{"name":"cm-{{{writer}}}"},"data":{"n":"{{{i}}}"}}"""));
                response.EnsureSuccessStatusCode();
            }
        }));
        Report("small writes (PUT)", measured);
    }

    [Test]
    public async Task SmallApplyPatchesPerSecond()
    {
        await using var session = await EmulatorSession.StartAsync();
        using var http = Client(session);
        await WarmUpAsync(http);
        var measured = await MeasureAsync(writer => Task.Run(async () =>
        {
            for (var i = 0; i < WritesPerWriter; i++)
            {
                var patch = new StringContent($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"apply-{{{writer}}}","labels":{"writer":"w{{{writer}}}"}},"data":{"n":"{{{i}}}"}}""",
                    Encoding.UTF8);
                patch.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
                using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/namespaces/default/configmaps/apply-{writer}?fieldManager=bench-{writer}") { Content = patch };
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }));
        var stored = session.Emulator.Service.Get(session.Emulator.Service.Catalog.Find("", "v1", "configmaps")!, "default", "apply-0");
        Assert.That(stored["data"]!["n"]!.GetValue<string>(), Is.EqualTo($"{WritesPerWriter - 1}"));
        Report("small server-side apply patches", measured);
    }

    [Test]
    public async Task WatchEventsPerSecond()
    {
        const int Events = 5000;
        await using var session = await EmulatorSession.StartAsync();
        var start = session.Emulator.Store.Snapshot.ResourceVersion;
        var type = session.Emulator.Service.Catalog.Find("", "v1", "configmaps")!;
        await using var watch = await RawWatch.OpenAsync(session.Emulator.BaseAddress, $"/api/v1/configmaps?watch=true&resourceVersion={start}");
        var received = 0;
        var measured = await BenchmarkMeasurement.TimeAsync(Events, async () =>
        {
            var writer = Task.Run(() =>
            {
                for (var i = 0; i < Events; i++)
                {
                    session.Emulator.Service.Create(type, "default", new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = $"cm-{i}" },
                    }, new WriteRequest("bench"));
                }
            });
            while (received < Events && await watch.NextAsync(TimeSpan.FromSeconds(30)) is not null)
            {
                received++;
            }

            await writer;
        });
        TestContext.Out.WriteLine(measured.Describe("watch events delivered to one HTTP watch"));
        Assert.That(received, Is.EqualTo(Events));
    }

    private static Task<BenchmarkMeasurement> MeasureAsync(Func<int, Task> writer) =>
        BenchmarkMeasurement.TimeAsync(Writers * WritesPerWriter, () => Task.WhenAll(Enumerable.Range(0, Writers).Select(writer)));

    private static void Report(string what, BenchmarkMeasurement measured) => TestContext.Out.WriteLine(measured.Describe(what));

    private static async Task WarmUpAsync(HttpClient http)
    {
        for (var i = 0; i < 50; i++)
        {
            using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json($$$"""{"metadata":{"name":"warm-{{{i}}}"}}"""));
            response.EnsureSuccessStatusCode();
        }
    }

    private static HttpClient Client(EmulatorSession session)
    {
        var http = new HttpClient { BaseAddress = session.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bench");
        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
