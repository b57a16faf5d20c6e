// The informer-peer scenario: the operator's informer against @kubernetes/client-node's, from process start to a
// synced cache of the same ConfigMaps on the same emulator. Invariants: every prober sees the same objects on the
// same server; in each repeat every prober runs cold (first start from a fresh, evicted copy of its files) and then
// warm (the same copy again), and the order of the probers alternates between repeats so neither always runs first;
// a run whose object count differs from what was created fails the repeat.
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Operator.Testing;

namespace Operator.Benchmarks;

/// <summary>Creates the ConfigMaps once, then times every prober cold and warm, <c>repeats</c> times.</summary>
public sealed class InformerPeerScenario(RepositoryLayout layout, BenchmarkOptions options, ILogger logger)
{
    private const int Namespaces = 20;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the scenario with the probers the options name; the table, or the failure logged and no table.</summary>
    public static async Task<(string? Table, bool Failed)> RunAndRenderAsync(RepositoryLayout layout, BenchmarkOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var probers = Probers(layout, options);
            var results = await new InformerPeerScenario(layout, options, logger).RunAsync(probers, cancellationToken).ConfigureAwait(false);
            return (results.Render(), false);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or IOException or HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            logger.LogError(e, "informer-peer failed");
            return (null, true);
        }
    }

    // The operator's probes as published (named by their directory), then client-node's, the reference.
    private static List<InformerProber> Probers(RepositoryLayout layout, BenchmarkOptions options)
    {
        var probers = new List<InformerProber>();
        foreach (var path in options.InformerProbes)
        {
            var assembly = Path.GetFullPath(path, layout.Root);
            if (!File.Exists(assembly))
            {
                throw new FileNotFoundException($"{assembly} is missing: publish Operator.InformerProbe there (docs/benchmarks.md, informer-peer)", assembly);
            }

            probers.Add(InformerProber.Operator($"operator ({Path.GetFileName(Path.GetDirectoryName(assembly))})", assembly));
        }

        var tools = Path.Combine(layout.Root, ".tools", "client-node");
        probers.Add(InformerProber.ClientNode(tools)
            ?? throw new InvalidOperationException($"@kubernetes/client-node or Node.js 22 is not installed in {tools}: run scripts/install-test-deps.sh"));
        return probers;
    }

    public async Task<InformerPeerResults> RunAsync(IReadOnlyList<InformerProber> probers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probers);
        var results = new InformerPeerResults(options.PeerObjects);
        await using var emulator = await EmulatorProcess.StartAsync(layout, options.DeploymentDelay, options.LogDirectory, cancellationToken).ConfigureAwait(false);
        using (var client = emulator.CreateLoadClient())
        {
            await CreateConfigMapsAsync(client, options.PeerObjects, cancellationToken).ConfigureAwait(false);
        }

        for (var repeat = 0; repeat < options.Repeat; repeat++)
        {
            var order = repeat % 2 == 0 ? probers : probers.Reverse().ToList();
            foreach (var prober in order)
            {
                using var copy = ColdCopy.Of(prober.Files);
                foreach (var start in new[] { ProbeStart.Cold, ProbeStart.Warm })
                {
                    var load = LoadAverage.OneMinute();
                    var result = await ProbeAsync(prober, copy, emulator.LoadKubeconfig, cancellationToken).ConfigureAwait(false);
                    logger.LogInformation("informer-peer repeat {Repeat}: {Prober} {Start}: {Objects} objects synced {Seconds:F3}s after start, VmHWM {Rss} MB, load {Load:F2}",
                        repeat + 1, prober.Name, start, result.Objects, result.SecondsToSynced, result.PeakRssBytes >> 20, load);
                    results.Add(repeat, prober.Name, start, result, load);
                }
            }
        }

        return results;
    }

    private async Task<ProbeResult> ProbeAsync(InformerProber prober, ColdCopy copy, string kubeconfig, CancellationToken cancellationToken)
    {
        var run = await LocalProcess.RunAsync(
            prober.FileName,
            [.. prober.Arguments(copy.Path), kubeconfig, ProbeTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string?>(),
            copy.Path,
            ProbeTimeout + TimeSpan.FromSeconds(30),
            cancellationToken).ConfigureAwait(false);
        if (!run.Succeeded)
        {
            throw new InvalidOperationException($"{prober.Name} probe failed: {run}");
        }

        var result = ProbeResult.Parse(run.Output);
        return result.Objects == options.PeerObjects
            ? result
            : throw new InvalidOperationException($"{prober.Name} probe cached {result.Objects} ConfigMaps, not the {options.PeerObjects} created");
    }

    // Spread over a few namespaces, each ConfigMap about as large as a typical application setting file.
    private async Task CreateConfigMapsAsync(Kubernetes client, int count, CancellationToken cancellationToken)
    {
        for (var n = 0; n < Namespaces; n++)
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = NamespaceOf(n) } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var settings = string.Join('\n', Enumerable.Range(0, 8).Select(i => $"setting{i}: value-{i}-{new string('x', 24)}"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var configMap = new V1ConfigMap
                {
                    Metadata = new V1ObjectMeta
                    {
                        Name = $"settings-{index:D6}",
                        NamespaceProperty = NamespaceOf(index % Namespaces),
                        Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = $"app-{index % 500}", ["app.kubernetes.io/part-of"] = "informer-peer" },
                    },
                    Data = new Dictionary<string, string> { ["settings.yaml"] = settings, ["LOG_LEVEL"] = "info" },
                };
                await client.CoreV1.CreateNamespacedConfigMapAsync(configMap, configMap.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        logger.LogInformation("informer-peer: created {Count} ConfigMaps in {Seconds:F1}s", count, clock.Elapsed.TotalSeconds);
    }

    private static string NamespaceOf(int index) => $"informer-peer-{index:D2}";
}
