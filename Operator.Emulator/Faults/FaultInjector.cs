// Invariants: rules are consulted in the order they were added; a rule with a count fails exactly that many
// requests and is then dropped; everything is safe to call from any thread while requests are served.
using Operator.Emulator.Storage;

namespace Operator.Emulator.Faults;

/// <summary>Chaos on demand: failing requests, latency, closing, stalling, hanging and expiring watches.</summary>
public sealed class FaultInjector(ObjectStore store)
{
    private readonly Lock gate = new();
    private readonly List<(FaultRule Rule, int? Remaining)> rules = [];
    private readonly List<WatchExpiry> expiries = [];
    private CancellationTokenSource watchCloser = new();
    private CancellationTokenSource watchHanger = new();
    private TaskCompletionSource? stall;
    private TimeSpan latency;

    /// <summary>Delay added before every API request is handled.</summary>
    public TimeSpan Latency
    {
        get
        {
            lock (gate)
            {
                return latency;
            }
        }
    }

    /// <summary>Cancelled when <see cref="CloseAllWatches"/> is called; each watch links its stream to it.</summary>
    public CancellationToken WatchCloseToken
    {
        get
        {
            lock (gate)
            {
                return watchCloser.Token;
            }
        }
    }

    /// <summary>Cancelled when <see cref="HangOpenWatches"/> is called; each watch takes the token current when it opens.</summary>
    public CancellationToken WatchHangToken
    {
        get
        {
            lock (gate)
            {
                return watchHanger.Token;
            }
        }
    }

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Probability is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), "Probability must be between 0 and 1.");
        }

        lock (gate)
        {
            rules.Add((rule, rule.Count));
        }
    }

    public void SetLatency(TimeSpan delay)
    {
        lock (gate)
        {
            latency = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }
    }

    /// <summary>Ends every open watch stream now (clients see the connection close and must re-watch).</summary>
    public void CloseAllWatches()
    {
        CancellationTokenSource previous;
        lock (gate)
        {
            previous = watchCloser;
            watchCloser = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }

    /// <summary>
    /// Every watch stream open now goes silent and stays open, past its timeoutSeconds, until the client gives up
    /// (or <see cref="CloseAllWatches"/>): a hung connection, which only a client's inactivity watchdog detects.
    /// Watches opened afterwards are served normally.
    /// </summary>
    public void HangOpenWatches()
    {
        CancellationTokenSource previous;
        lock (gate)
        {
            previous = watchHanger;
            watchHanger = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }

    /// <summary>Watches that <paramref name="expiry"/> covers get 410 Expired from now on (until <see cref="Clear"/>).</summary>
    public void ExpireWatches(WatchExpiry expiry)
    {
        ArgumentNullException.ThrowIfNull(expiry);
        lock (gate)
        {
            expiries.Add(expiry);
        }
    }

    /// <summary>The newest resourceVersion expired for a watch of <paramref name="resource"/> from <paramref name="resourceVersion"/>, if any.</summary>
    public long? ExpiredThrough(string resource, string? inNamespace, long resourceVersion)
    {
        lock (gate)
        {
            return expiries.Where(expiry => expiry.Expires(resource, inNamespace, resourceVersion))
                .Select(expiry => (long?)expiry.ThroughResourceVersion).Max();
        }
    }

    /// <summary>Forgets all watch history: watching from any earlier resourceVersion now gets 410 Gone.</summary>
    public void CompactHistory() => store.Compact();

    /// <summary>While stalled, watch streams stay open but send nothing (events are delivered after un-stalling).</summary>
    public void StallWatches(bool stalled)
    {
        TaskCompletionSource? release = null;
        lock (gate)
        {
            if (stalled)
            {
                stall ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                release = stall;
                stall = null;
            }
        }

        release?.TrySetResult();
    }

    /// <summary>Completes when watches are not stalled.</summary>
    public Task WhileStalledAsync(CancellationToken cancellationToken)
    {
        Task? wait;
        lock (gate)
        {
            wait = stall?.Task;
        }

        return wait is null ? Task.CompletedTask : wait.WaitAsync(cancellationToken);
    }

    /// <summary>Removes every rule, watch expiry and latency and releases stalled watches (hung ones stay hung).</summary>
    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
            expiries.Clear();
            latency = TimeSpan.Zero;
        }

        StallWatches(false);
    }

    /// <summary>The rule that fails this request, if any (consuming one of its count).</summary>
    public FaultRule? Match(string verb, string resource, string? subresource, string? inNamespace, string? name)
    {
        lock (gate)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var (rule, remaining) = rules[i];
                if (!rule.Matches(verb, resource, subresource, inNamespace, name))
                {
                    continue;
                }

                if (rule.Probability is { } probability && Random.Shared.NextDouble() >= probability)
                {
                    continue;
                }

                if (remaining is { } left)
                {
                    if (left <= 1)
                    {
                        rules.RemoveAt(i);
                    }
                    else
                    {
                        rules[i] = (rule, left - 1);
                    }
                }

                return rule;
            }
        }

        return null;
    }
}
