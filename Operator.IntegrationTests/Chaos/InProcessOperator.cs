// An emulator with the Celery and KEDA CRDs installed and the Celery controller module running in-process
// against it as user "celery-operator", instrumented for the chaos checks: a logger provider that detects
// overlapping reconciles of one key, and the runtime's reconcile and retry counters. Short intervals and no
// resync, so a quiet window after convergence really is quiet.
using Microsoft.Extensions.Logging;
using Operator.IntegrationTests.Reconciliation;
using Operator.Runtime.Metrics;
using Operator.Runtime.Source;

namespace Operator.IntegrationTests.Chaos;

/// <summary>The Celery operator in-process on an emulator, with the chaos suite's instruments attached.</summary>
internal sealed class InProcessOperator : IAsyncDisposable
{
    public const string OperatorUser = CeleryOnEmulator.OperatorUser;

    private readonly CancellationTokenSource stop = new();
    private readonly ILoggerFactory loggers;
    private readonly RuntimeMetrics metrics = new();
    private Task running = Task.CompletedTask;

    private InProcessOperator(EmulatorSession session)
    {
        Session = session;
        loggers = LoggerFactory.Create(builder => builder.AddProvider(Overlaps).SetMinimumLevel(LogLevel.Warning));
    }

    public EmulatorSession Session { get; }

    public Kubernetes Client => Session.Client;

    public ReconcileOverlapDetector Overlaps { get; } = new();

    public ReconcileCounters Counters { get; } = new();

    /// <summary>Starts the emulator; the operator starts with <see cref="StartOperator"/> so scenarios can seed the cluster first.</summary>
    public static async Task<InProcessOperator> StartClusterAsync()
    {
        return new InProcessOperator(await CeleryOnEmulator.StartClusterAsync());
    }

    public void StartOperator()
    {
        var settings = CeleryOnEmulator.FastSettings() with
        {
            // Short watch timeouts so a silent (stalled) stream is noticed within seconds.
            Informer = new InformerOptions { MinWatchTimeout = TimeSpan.FromSeconds(2), MaxWatchTimeout = TimeSpan.FromSeconds(3), WatchInactivityGrace = TimeSpan.FromSeconds(1) },
            // The fleet's brokers are names that resolve nowhere: the backlog reader would add one BacklogRead note per
            // resource at a moment of its own, inside the quiet window. Its behaviour is proven by BacklogConformanceTests.
            Backlog = new Operator.Celery.Backlog.BacklogOptions { Enabled = false },
        };
        (_, running) = CeleryOnEmulator.Run(Session.ClientFor(OperatorUser), settings, loggers, metrics, stop.Token);
    }

    /// <summary>Fails the test if the operator's tasks ended (they run until disposal).</summary>
    public void AssertRunning()
    {
        if (running.IsCompleted)
        {
            Assert.Fail($"The operator stopped on its own: {running.Exception?.GetBaseException().Message ?? "completed"}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (OperationCanceledException)
        {
        }

        Counters.Dispose();
        metrics.Dispose();
        loggers.Dispose();
        stop.Dispose();
        await Session.DisposeAsync();
    }
}
