using Operator.Benchmarks;

namespace Operator.Tests.Benchmarks;

// The informer-peer table: each prober's figures per kind of start, and its time over client-node's taken within each
// repeat before the median, never as a ratio of medians.
public sealed class InformerPeerResultsTests
{
    private static ProbeResult Run(string prober, double seconds, long rss = 100_000_000) => new(prober, 3, seconds, seconds / 2, rss);

    private static string[] Row(string table, string prober, string start) =>
        table.Split('\n').Single(l => l.StartsWith($"| {prober} | {start} |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);

    [Test]
    public void RatiosPairRunsOfTheSameRepeatAndStart()
    {
        var results = new InformerPeerResults(3);
        // Repeat 0: ours 1.0 against 2.0 (0.5x); repeat 1: ours 3.0 against 3.0 (1x); repeat 2: ours 1.0 against 1.0 (1x).
        // The ratio of the medians would be 1.0 / 2.0 = 0.5x; the median of the ratios is 1x.
        foreach (var (repeat, ours, theirs) in new[] { (0, 1.0, 2.0), (1, 3.0, 3.0), (2, 1.0, 1.0) })
        {
            results.Add(repeat, "operator", ProbeStart.Cold, Run("operator", ours), 1.5);
            results.Add(repeat, InformerPeerResults.Reference, ProbeStart.Cold, Run(InformerPeerResults.Reference, theirs), 1.5);
        }

        results.Add(0, "operator", ProbeStart.Warm, Run("operator", 0.4, 120_000_000), 2.5);
        results.Add(0, InformerPeerResults.Reference, ProbeStart.Warm, Run(InformerPeerResults.Reference, 0.5, 250_000_000), 2.5);

        var table = results.Render();
        Assert.Multiple(() =>
        {
            Assert.That(Row(table, "operator", "cold")[3..6], Is.EqualTo(new[] { "1.000 s", "1.000", "3.000" }));
            Assert.That(Row(table, "operator", "cold")[8], Is.EqualTo("1.00x"));
            Assert.That(Row(table, "operator", "warm")[8], Is.EqualTo("0.80x"));
            Assert.That(Row(table, "operator", "warm")[7], Is.EqualTo("120 MB"));
            Assert.That(Row(table, "client-node", "warm")[7], Is.EqualTo("250 MB"));
            Assert.That(Row(table, "client-node", "cold")[9], Is.EqualTo("1.50"));
        });
    }

    [Test]
    public void TheResultLineIsFoundAmongOtherOutput()
    {
        var result = ProbeResult.Parse("Warning: retrying\n{\"prober\":\"client-node\",\"objects\":20000,\"secondsToSynced\":0.45,\"cpuSecondsToSynced\":0.8,\"peakRssBytes\":123}\n");
        Assert.That(result, Is.EqualTo(new ProbeResult("client-node", 20000, 0.45, 0.8, 123)));
    }

    [Test]
    public void OutputWithoutAResultLineFailsWithTheOutput() =>
        Assert.That(() => ProbeResult.Parse("the ConfigMap informer did not sync within 120s"),
            Throws.InvalidOperationException.With.Message.Contains("did not sync"));
}
