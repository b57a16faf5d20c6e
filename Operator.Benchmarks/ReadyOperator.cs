// The operator executable (the test kit's OperatorProcess) configured as a deployment would be (leader election
// off: one replica), started and waited for until /readyz answers 200, which is the start-to-ready time a
// benchmark reports. Metrics are plain HTTP (Operator:Metrics:Secure=false), so the measurements include no TLS
// handshakes or token reviews.
using System.Diagnostics;
using System.Globalization;
using Operator.Testing;

namespace Operator.Benchmarks;

/// <summary>A running, ready operator: its pid, start-to-ready time and /metrics.</summary>
public sealed class ReadyOperator : IAsyncDisposable
{
    // Finer than the test kit's polling so the start-to-ready time is not rounded up by the wait.
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(20);
    private readonly OperatorProcess process;

    private ReadyOperator(OperatorProcess process, TimeSpan startToReady)
    {
        this.process = process;
        StartToReady = startToReady;
    }

    public int ProcessId => process.Id;

    /// <summary>From process start to the first 200 from /readyz.</summary>
    public TimeSpan StartToReady { get; }

    /// <param name="settings">More configuration for the operator, as "--Section:Key=value" arguments.</param>
    public static async Task<ReadyOperator> StartAsync(RepositoryLayout layout, string kubeconfig, int maxConcurrentReconciles, TimeSpan resync, IReadOnlyList<string> settings, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string? logDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var process = OperatorProcess.Start(layout.OperatorAssembly, kubeconfig, "operator",
        [
            "--Operator:Metrics:Secure=false", "--Operator:LeaderElection:Enabled=false",
            $"--Operator:MaxConcurrentReconciles={maxConcurrentReconciles.ToString(CultureInfo.InvariantCulture)}",
            $"--Operator:ResyncPeriod={resync.ToString("c", CultureInfo.InvariantCulture)}",
            .. settings,
        ], environment: environment, logDirectory: logDirectory);
        try
        {
            var deadline = clock.Elapsed + timeout;
            while ((await process.ReadyzAsync(cancellationToken).ConfigureAwait(false)).Code != 200)
            {
                if (process.HasExited || clock.Elapsed > deadline)
                {
                    throw new InvalidOperationException($"the operator did not become ready:{Environment.NewLine}{process.Output}");
                }

                await Task.Delay(ReadyPoll, cancellationToken).ConfigureAwait(false);
            }

            return new ReadyOperator(process, clock.Elapsed);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ProcessMemory Memory() => ProcessMemory.Read(process.Id);

    /// <summary>Makes the operator collect its whole heap (see <see cref="FullCollection"/>) and returns the heap size after it: the live size.</summary>
    public async Task<double?> LiveHeapAsync(CancellationToken cancellationToken)
    {
        await FullCollection.RunAsync(process.Id, ct => MetricSumAsync("dotnet_gc_collections_total", ct, "generation=\"gen2\""), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return await MetricSumAsync("dotnet_gc_last_collection_heap_size_bytes", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The sum of one metric's samples on /metrics (over its labels; only those whose labels include
    /// <paramref name="label"/>, e.g. <c>generation="gen2"</c>, when given), or null when the operator exports none.
    /// </summary>
    public async Task<double?> MetricSumAsync(string name, CancellationToken cancellationToken, string? label = null)
    {
        var (_, text) = await process.MetricsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        double? sum = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{'
                && (label is null || (line[name.Length] == '{' && line.AsSpan(name.Length, line.IndexOf('}', StringComparison.Ordinal) - name.Length).Contains(label, StringComparison.Ordinal))))
            {
                // "name{labels} value [timestamp]"
                var afterLabels = line[name.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[name.Length..];
                var value = afterLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    public string RecentOutput() => process.Output;

    public async ValueTask DisposeAsync() => await process.DisposeAsync().ConfigureAwait(false);
}
