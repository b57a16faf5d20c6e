// Records Kubernetes Events on objects, deduplicated the way client-go's correlator does it in spirit: the
// first occurrence of (object uid, type, reason, message) creates an Event; repeats only bump a local count,
// which is written back (count, lastTimestamp) at most once per RepeatWriteInterval, so a resource failing on
// every retry does not create an Event per retry. Recording is best effort: a failure is logged and dropped,
// never thrown into a reconcile. Callers must not put secrets in messages.
using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Operator.Runtime.Events;

/// <summary>Event type, as Kubernetes defines it.</summary>
public enum EventSeverity
{
    Normal,
    Warning,
}

/// <summary>Options of the event recorder.</summary>
public sealed record EventRecorderOptions
{
    /// <summary>The component named as the Event's source and reporting controller.</summary>
    public string Component { get; init; } = "controller";

    /// <summary>This instance (pod name), the Event's reporting instance.</summary>
    public string Instance { get; init; } = Environment.MachineName;

    /// <summary>How often a repeated Event's count is written back.</summary>
    public TimeSpan RepeatWriteInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a recorded Event is remembered for deduplication.</summary>
    public TimeSpan Memory { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>Records deduplicated Events.</summary>
public interface IEventRecorder
{
    Task RecordAsync(IKubernetesObject<V1ObjectMeta> involved, EventSeverity severity, string reason, string action, string message, CancellationToken cancellationToken);

    /// <summary>Drops what is remembered of an object's Events (it is gone).</summary>
    void Forget(string uid);
}

/// <summary>Records Events through the core/v1 API.</summary>
public sealed class EventRecorder : IEventRecorder
{
    private const int MaxMessageLength = 1024;
    private readonly IKubernetes kubernetes;
    private readonly EventRecorderOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private long lastSweepTicks;
    private readonly ConcurrentDictionary<(string Uid, EventSeverity Severity, string Reason, string Message), Seen> seen = new();

    public EventRecorder(IKubernetes kubernetes, EventRecorderOptions options, TimeProvider? timeProvider = null, ILogger<EventRecorder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(options);
        this.kubernetes = kubernetes;
        this.options = options;
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<EventRecorder>.Instance;
    }

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> involved, EventSeverity severity, string reason, string action, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(involved);
        message = message.Length > MaxMessageLength ? message[..MaxMessageLength] : message;
        var now = time.GetUtcNow();
        Forget(now);
        var key = (involved.Metadata.Uid ?? $"{involved.Metadata.NamespaceProperty}/{involved.Metadata.Name}", severity, reason, message);
        var entry = seen.GetOrAdd(key, _ => new Seen());
        string? eventName;
        int count;
        lock (entry)
        {
            entry.Count++;
            entry.LastSeen = now;
            count = entry.Count;
            eventName = entry.EventName;
            if (eventName is not null && now - entry.LastWritten < options.RepeatWriteInterval)
            {
                return;
            }

            entry.LastWritten = now;
        }

        try
        {
            if (eventName is null)
            {
                var created = await kubernetes.CoreV1.CreateNamespacedEventAsync(NewEvent(involved, severity, reason, action, message, now.UtcDateTime), involved.Metadata.NamespaceProperty ?? "default", cancellationToken: cancellationToken).ConfigureAwait(false);
                lock (entry)
                {
                    entry.EventName = created.Metadata.Name;
                }
            }
            else
            {
                var patch = new V1Patch($$"""{"count":{{count}},"lastTimestamp":"{{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""", V1Patch.PatchType.MergePatch);
                await kubernetes.CoreV1.PatchNamespacedEventAsync(patch, eventName, involved.Metadata.NamespaceProperty ?? "default", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A lost Event must never fail a reconcile; the next occurrence tries again.
            lock (entry)
            {
                if (entry.EventName is null)
                {
                    seen.TryRemove(key, out _);
                }
            }

            logger.LogWarning(e, "Could not record event {Reason} on {Namespace}/{Name}", reason, involved.Metadata.NamespaceProperty, involved.Metadata.Name);
        }
    }

    public void Forget(string uid)
    {
        foreach (var key in seen.Keys.Where(k => k.Uid == uid))
        {
            seen.TryRemove(key, out _);
        }
    }

    private Corev1Event NewEvent(IKubernetesObject<V1ObjectMeta> involved, EventSeverity severity, string reason, string action, string message, DateTime now) => new()
    {
        Metadata = new V1ObjectMeta
        {
            // Same shape as client-go: <object>.<unique suffix>.
            Name = $"{involved.Metadata.Name}.{Guid.NewGuid():N}"[..Math.Min(involved.Metadata.Name.Length + 17, 253)],
            NamespaceProperty = involved.Metadata.NamespaceProperty ?? "default",
        },
        InvolvedObject = new V1ObjectReference
        {
            ApiVersion = involved.ApiVersion,
            Kind = involved.Kind,
            Name = involved.Metadata.Name,
            NamespaceProperty = involved.Metadata.NamespaceProperty,
            Uid = involved.Metadata.Uid,
            ResourceVersion = involved.Metadata.ResourceVersion,
        },
        Type = severity.ToString(),
        Reason = reason,
        Action = action,
        Message = message,
        Count = 1,
        FirstTimestamp = now,
        LastTimestamp = now,
        EventTime = now,
        Source = new V1EventSource { Component = options.Component },
        ReportingComponent = options.Component,
        ReportingInstance = options.Instance,
    };

    private void Forget(DateTimeOffset now)
    {
        // Sweep at most once a minute: a sweep walks every remembered Event.
        var last = new DateTimeOffset(Interlocked.Read(ref lastSweepTicks), TimeSpan.Zero);
        if (now - last < TimeSpan.FromMinutes(1) || Interlocked.CompareExchange(ref lastSweepTicks, now.UtcTicks, last.UtcTicks) != last.UtcTicks)
        {
            return;
        }

        foreach (var (key, entry) in seen)
        {
            if (now - entry.LastSeen > options.Memory)
            {
                seen.TryRemove(key, out _);
            }
        }
    }

    private sealed class Seen
    {
        public int Count { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset LastWritten { get; set; }

        public string? EventName { get; set; }
    }
}
