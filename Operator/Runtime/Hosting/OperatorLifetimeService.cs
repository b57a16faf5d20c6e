using k8s;
using Operator.Runtime.LeaderElection;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.Hosting;

/// <summary>
/// Runs the modules for the life of the host. Invariants:
/// <list type="number">
/// <item>Every module's informers run on every instance, from start until leader work has ended, so a standby's
/// caches are warm when it takes over.</item>
/// <item>Leader work (<see cref="IControllerModule.RunAsLeaderAsync"/>) runs only while this instance holds the lease
/// (or always, when election is disabled), and at most once per process.</item>
/// <item>Stopping first cancels leader work, which stops taking keys and lets in-flight reconciles finish within the
/// controllers' shutdown timeout; only then is the lease released and are the informers stopped.</item>
/// <item>A module or informer that fails or ends on its own, or a lost lease, stops the whole host with a failure
/// (exit code 1): a fresh process is the only state we trust after that.</item>
/// <item>The drain runs in <see cref="StoppingAsync"/>, which the host calls before stopping any hosted service, so
/// the web server keeps answering probes and scrapes until the drain has ended.</item>
/// </list>
/// </summary>
public sealed class OperatorLifetimeService : IHostedLifecycleService, IDisposable
{
    private readonly ControllerModules modules;
    private readonly OperatorStatus status;
    private readonly LeaderElectionOptions election;
    private readonly IKubernetes kubernetes;
    private readonly RuntimeMetrics metrics;
    private readonly TimeProvider time;
    private readonly IHostApplicationLifetime lifetime;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopLeading = new();
    private readonly CancellationTokenSource stopInformers = new();
    private Task leading = Task.CompletedTask;
    private Task informing = Task.CompletedTask;

    public OperatorLifetimeService(
        ControllerModules modules,
        OperatorStatus status,
        LeaderElectionOptions election,
        IKubernetes kubernetes,
        RuntimeMetrics metrics,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        this.modules = modules;
        this.status = status;
        this.election = election;
        this.kubernetes = kubernetes;
        this.metrics = metrics;
        this.time = time;
        this.lifetime = lifetime;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<OperatorLifetimeService>();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (modules.Modules.Count == 0)
        {
            logger.LogWarning("No controller modules are registered; the operator will serve probes and metrics only");
        }

        // Names what it counts, so the count can be checked against the "Listed" line each informer logs.
        logger.LogInformation(
            "Starting {Count} informers ({Resources}) for modules {Modules}",
            modules.Informers.Count,
            string.Join(", ", modules.Informers.Select(i => i.Resource)),
            string.Join(", ", modules.Modules.Select(m => m.Name)));
        informing = Task.WhenAll(modules.Informers.Select(informer => Task.Run(() => RunInformerAsync(informer, stopInformers.Token), CancellationToken.None)));
        leading = election.Enabled
            ? Task.Run(() => CampaignAsync(stopLeading.Token), CancellationToken.None)
            : Task.Run(() => LeadWithoutElectionAsync(stopLeading.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        status.MarkStopping();
        logger.LogInformation("Stopping: no new work is taken; waiting for in-flight reconciles");
        await stopLeading.CancelAsync().ConfigureAwait(false);
        if (!await WaitAsync(leading, "leader work and lease release", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await stopInformers.CancelAsync().ConfigureAwait(false);
        await WaitAsync(informing, "informers", cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Stopped");
    }

    /// <summary>Nothing left to do: <see cref="StoppingAsync"/> has drained everything.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        stopLeading.Dispose();
        stopInformers.Dispose();
    }

    private async Task CampaignAsync(CancellationToken cancellationToken)
    {
        var elector = new LeaderElector(
            new KubernetesLeaseLock(kubernetes, election.LeaseName, election.LeaseNamespace),
            election,
            new LeaderCallbacks(
                token => LeadAsync(token),
                OnStoppedLeading,
                leader => logger.LogInformation("Leader is now {Leader}", leader)),
            time,
            metrics,
            loggerFactory.CreateLogger<LeaderElector>());
        try
        {
            await elector.RunAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever ends the election ends the host with a failure, reported once.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e, "leader election failed");
        }
    }

    private async Task LeadWithoutElectionAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Leader election is disabled; leading");
        metrics.LeaderChanged(true);
        try
        {
            await LeadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            metrics.LeaderChanged(false);
            status.SetLeader(false);
        }
    }

    private Task LeadAsync(CancellationToken cancellationToken)
    {
        if (status.Failure is not null || status.Stopping)
        {
            return Task.CompletedTask;
        }

        status.SetLeader(true);
        return Task.WhenAll(modules.Modules.Select(module => RunModuleAsync(module, cancellationToken)));
    }

    private void OnStoppedLeading()
    {
        status.SetLeader(false);
        if (!stopLeading.IsCancellationRequested)
        {
            // Controllers have shut their queues down; campaigning again would lead with nothing running.
            Fail(null, "leadership was lost");
            stopLeading.Cancel();
        }
    }

    private async Task RunModuleAsync(IControllerModule module, CancellationToken cancellationToken)
    {
        logger.LogInformation("Module {Module} starting its controllers", module.Name);
        try
        {
            await module.RunAsLeaderAsync(cancellationToken).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested)
            {
                Fail(null, $"module {module.Name} stopped while leading");
                return;
            }

            logger.LogInformation("Module {Module} stopped", module.Name);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Module {Module} stopped", module.Name);
        }
#pragma warning disable CA1031 // A module's failure stops the host; it must not vanish in a faulted task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e, $"module {module.Name} failed");
        }
    }

    private async Task RunInformerAsync(Source.IInformer informer, CancellationToken cancellationToken)
    {
        try
        {
            await informer.RunAsync(cancellationToken).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested)
            {
                Fail(null, $"informer of {informer.Resource} stopped on its own");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the host.
        }
#pragma warning disable CA1031 // An informer's failure stops the host; it must not vanish in a faulted task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e, $"informer of {informer.Resource} failed");
        }
    }

    private void Fail(Exception? exception, string reason)
    {
        if (status.TryFail(reason))
        {
            logger.LogCritical(exception, "Stopping the operator: {Reason}", reason);
        }
        else
        {
            logger.LogError(exception, "Also: {Reason}", reason);
        }

        lifetime.StopApplication();
    }

    private async Task<bool> WaitAsync(Task task, string what, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Shutdown timed out waiting for {What}", what);
            return false;
        }
    }
}
