using Microsoft.Extensions.Logging.Abstractions;
using Operator.Runtime.Metrics;

namespace Operator.Runtime.LeaderElection;

/// <summary>
/// Campaigns for a lease and keeps it while leading, with client-go's semantics, timed by a TimeProvider.
/// Invariants:
/// <list type="number">
/// <item>A lease held by someone else is taken only after it has not changed for its own lease duration as
/// measured by our clock since we observed the change (no trust in other clocks).</item>
/// <item>Every write carries the resourceVersion read just before, so two candidates never both win.</item>
/// <item>A leader that cannot renew within RenewDeadline of its last renewal stops leading (cancels its leading
/// token, then calls OnStoppedLeading) and campaigns again.</item>
/// <item>On cancellation a leader waits for its leading work to end, then (if configured) releases the lease by
/// clearing the holder and setting a 1 s duration.</item>
/// </list>
/// </summary>
public sealed class LeaderElector
{
    private readonly ILeaseLock leaseLock;
    private readonly LeaderElectionOptions options;
    private readonly LeaderCallbacks callbacks;
    private readonly TimeProvider time;
    private readonly RuntimeMetrics? metrics;
    private readonly ILogger logger;
    private ObservedLease? observed;
    private DateTimeOffset observedAt;
    private string? lastLeader;
    private volatile bool isLeader;

    public LeaderElector(
        ILeaseLock leaseLock,
        LeaderElectionOptions options,
        LeaderCallbacks callbacks,
        TimeProvider? timeProvider = null,
        RuntimeMetrics? metrics = null,
        ILogger<LeaderElector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(leaseLock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(callbacks);
        options.Validate();
        this.leaseLock = leaseLock;
        this.options = options;
        this.callbacks = callbacks;
        time = timeProvider ?? TimeProvider.System;
        this.metrics = metrics;
        this.logger = logger ?? NullLogger<LeaderElector>.Instance;
    }

    public bool IsLeader => isLeader;

    /// <summary>The holder last observed in the lease (possibly us).</summary>
    public string? CurrentLeader => Volatile.Read(ref lastLeader);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await LeadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("{Identity} campaigning for lease {Namespace}/{Lease}", options.Identity, options.LeaseNamespace, options.LeaseName);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (!await DelayAsync(Jittered(options.RetryPeriod), cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        return false;
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("{Identity} became leader", options.Identity);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        SetLeader(true);
        var work = Task.Run(() => callbacks.OnStartedLeading(leading.Token), CancellationToken.None);
        var lastRenew = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await DelayAsync(options.RetryPeriod, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                lastRenew = time.GetUtcNow();
            }
            else if (time.GetUtcNow() - lastRenew >= options.RenewDeadline)
            {
                logger.LogWarning("{Identity} failed to renew lease within {Deadline}; leadership lost", options.Identity, options.RenewDeadline);
                break;
            }
        }

        await leading.CancelAsync().ConfigureAwait(false);
        try
        {
            await work.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The leading work's failure is logged; election must still release and report.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Leading work of {Identity} failed", options.Identity);
        }
        catch (OperationCanceledException)
        {
            // The leading work ended because leadership did.
        }

        if (cancellationToken.IsCancellationRequested && options.ReleaseOnCancel)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        SetLeader(false);
        callbacks.OnStoppedLeading();
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseSeconds = (int)options.LeaseDuration.TotalSeconds;
        try
        {
            using var deadline = new CancellationTokenSource(options.RenewDeadline, time);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var current = await leaseLock.GetAsync(attempt.Token).ConfigureAwait(false);
            if (current is null)
            {
                var created = new LeaderElectionRecord(options.Identity, leaseSeconds, now, now, 0);
                await leaseLock.CreateAsync(created, attempt.Token).ConfigureAwait(false);
                Observe(new ObservedLease(created, string.Empty), now);
                return true;
            }

            if (observed?.Record != current.Record)
            {
                Observe(current, now);
            }

            var holder = current.Record.HolderIdentity;
            var ours = holder == options.Identity;
            if (!ours && holder.Length > 0 && observedAt + TimeSpan.FromSeconds(current.Record.LeaseDurationSeconds) > now)
            {
                return false;
            }

            var desired = ours
                ? current.Record with { LeaseDurationSeconds = leaseSeconds, RenewTime = now }
                : new LeaderElectionRecord(options.Identity, leaseSeconds, now, now, current.Record.LeaseTransitions + 1);
            await leaseLock.UpdateAsync(desired, current.ResourceVersion, attempt.Token).ConfigureAwait(false);
            Observe(current with { Record = desired }, now);
            return true;
        }
        catch (LeaseConflictException e)
        {
            logger.LogDebug(e, "{Identity} lost a race for the lease", options.Identity);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // An API failure is one failed attempt; the renew deadline decides what it costs.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "{Identity} could not read or write the lease", options.Identity);
            return false;
        }
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.RenewDeadline, time);
            var current = await leaseLock.GetAsync(timeout.Token).ConfigureAwait(false);
            if (current is null || current.Record.HolderIdentity != options.Identity)
            {
                return;
            }

            var now = time.GetUtcNow();
            var released = current.Record with { HolderIdentity = string.Empty, LeaseDurationSeconds = 1, RenewTime = now, AcquireTime = now };
            await leaseLock.UpdateAsync(released, current.ResourceVersion, timeout.Token).ConfigureAwait(false);
            logger.LogInformation("{Identity} released the lease", options.Identity);
        }
#pragma warning disable CA1031 // Release is best effort: the lease expires on its own if this fails.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "{Identity} could not release the lease; it will expire", options.Identity);
        }
    }

    private void Observe(ObservedLease lease, DateTimeOffset at)
    {
        observed = lease;
        observedAt = at;
        var holder = lease.Record.HolderIdentity;
        if (holder.Length > 0 && Interlocked.Exchange(ref lastLeader, holder) != holder)
        {
            callbacks.OnNewLeader?.Invoke(holder);
        }
    }

    private void SetLeader(bool leading)
    {
        isLeader = leading;
        metrics?.LeaderChanged(leading);
    }

    private TimeSpan Jittered(TimeSpan period) => period + (period * (Random.Shared.NextDouble() * 1.2));

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
