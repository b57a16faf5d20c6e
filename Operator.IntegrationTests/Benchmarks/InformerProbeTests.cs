// The two informer probes the informer-peer benchmark times, each run as its own process against the emulator through
// the kubeconfig it writes: each must cache every ConfigMap (across list pages: the operator's pages hold 100) and
// report it in the result line the benchmark reads. The client-node probe needs what scripts/install-test-deps.sh
// installs into .tools/client-node; without it that test is skipped with the reason.
using Operator.Benchmarks;

namespace Operator.IntegrationTests.Benchmarks;

public sealed class InformerProbeTests
{
    private const int ConfigMaps = 250;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task TheOperatorProbeCachesEveryConfigMap()
    {
        await using var session = await StartWithConfigMapsAsync();
        var probe = Path.Combine(AppContext.BaseDirectory, "informer-probe.dll");
        var run = await LocalProcess.RunAsync("dotnet", [probe, session.KubeconfigPath], new Dictionary<string, string?>(), AppContext.BaseDirectory, Timeout, CancellationToken.None);
        await AssertEveryConfigMapAsync(session, "operator", run);
    }

    [Test]
    public async Task TheClientNodeProbeCachesEveryConfigMap()
    {
        var tools = RepositoryRoot.File(".tools/client-node");
        if (InformerProber.ClientNode(tools) is not { } prober)
        {
            Assert.Ignore($"@kubernetes/client-node or Node.js 22 is not installed in {tools}; scripts/install-test-deps.sh installs them with npm");
            return;
        }

        await using var session = await StartWithConfigMapsAsync();
        // The script resolves the client from the node_modules beside it, as the benchmark's copy does.
        var script = Path.Combine(tools, $"informer-probe-{Guid.NewGuid():N}.mjs");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "client-node", "informer-probe.mjs"), script);
        try
        {
            var run = await LocalProcess.RunAsync(prober.FileName, [script, session.KubeconfigPath], new Dictionary<string, string?>(), tools, Timeout, CancellationToken.None);
            await AssertEveryConfigMapAsync(session, "client-node", run);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<EmulatorSession> StartWithConfigMapsAsync()
    {
        var session = await EmulatorSession.StartAsync();
        foreach (var name in new[] { "probe-a", "probe-b" })
        {
            await session.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }

        for (var i = 0; i < ConfigMaps; i++)
        {
            var ns = i % 2 == 0 ? "probe-a" : "probe-b";
            await session.Client.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"settings-{i}", NamespaceProperty = ns }, Data = new Dictionary<string, string> { ["key"] = $"value-{i}" } }, ns);
        }

        return session;
    }

    // Every ConfigMap the API lists (ours and any the emulator keeps itself), a positive time and a resident peak.
    private static async Task AssertEveryConfigMapAsync(EmulatorSession session, string prober, CommandResult run)
    {
        var listed = (await session.Client.CoreV1.ListConfigMapForAllNamespacesAsync()).Items.Count;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var result = ProbeResult.Parse(run.Output);
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.GreaterThanOrEqualTo(ConfigMaps));
            Assert.That(result.Prober, Is.EqualTo(prober));
            Assert.That(result.Objects, Is.EqualTo(listed));
            Assert.That(result.SecondsToSynced, Is.GreaterThan(0).And.LessThan(Timeout.TotalSeconds));
            Assert.That(result.CpuSecondsToSynced, Is.GreaterThan(0));
            Assert.That(result.PeakRssBytes, Is.GreaterThan(10_000_000));
        });
    }
}
