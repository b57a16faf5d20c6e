// The backlog reader's passes with a scripted broker: one read per endpoint for every resource on it, a status
// enqueue only when what status shows changed, a resource with the backlog off never read, a queue without
// consumer reported once past its threshold, and a broker failure noted once while the circuit stays open.
using System.Net.Sockets;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Operator.Celery.Backlog;
using Operator.Celery.Broker;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Runtime;
using Operator.Runtime.Cache;
using Operator.Runtime.Events;
using Operator.Runtime.Source;

namespace Operator.Tests.Celery;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class BacklogReaderTests
{
    private static readonly BrokerEndpoint Redis = BrokerUrlParser.Parse("redis", "redis://:s3cret@redis.example:6379/2").Endpoint!;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ObjectCache<CeleryResource> celeries = new();
    private readonly List<V1Deployment> deployments = [];
    private readonly ScriptedBroker broker = new();
    private readonly List<ObjectKey> enqueued = [];
    private readonly RecordedEvents events = new();
    private readonly BacklogStore store = new();

    [Test]
    public async Task ResourcesOnOneEndpointShareOneReadAndAreEnqueuedOnlyWhenCountsChange()
    {
        Add(Resource("a", ["celery"]));
        Add(Resource("b", ["celery", "mail"]));
        broker.Counts["celery"] = 4;
        var reader = NewReader();

        await reader.ReadOnceAsync(CancellationToken.None);
        Assert.That(broker.Reads, Has.Count.EqualTo(1), "one read for the endpoint");
        Assert.That(broker.Reads[0], Is.EquivalentTo(new[] { "celery", "mail" }), "every queue once");
        Assert.That(enqueued.Select(k => k.Name), Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That(store.Get(new ObjectKey("ns", "b"))!.GroupBacklog("workers"), Is.EqualTo(4));

        enqueued.Clear();
        time.Advance(TimeSpan.FromSeconds(15));
        await reader.ReadOnceAsync(CancellationToken.None);
        Assert.That(enqueued, Is.Empty, "unchanged counts cost no status write");

        broker.Counts["mail"] = 1;
        await reader.ReadOnceAsync(CancellationToken.None);
        Assert.That(enqueued.Select(k => k.Name), Is.EqualTo(new[] { "b" }), "only the resource whose queue changed");
    }

    [Test]
    public async Task ResourceWithBacklogOffIsNeverRead()
    {
        Add(Resource("off", ["celery"], new BacklogSpec { Enabled = false }));
        await NewReader().ReadOnceAsync(CancellationToken.None);
        Assert.That(broker.Reads, Is.Empty);
        Assert.That(store.Get(new ObjectKey("ns", "off")), Is.Null);
    }

    [Test]
    public async Task QueueWithoutReadyWorkerPastTheThresholdIsReportedOnce()
    {
        Add(Resource("stuck", ["celery"], new BacklogSpec { NoConsumerThresholdSeconds = 60 }));
        broker.Counts["celery"] = 3;
        var reader = NewReader();

        await reader.ReadOnceAsync(CancellationToken.None);
        var status = BacklogStatus.Of(celeries.List()[0], store.Get(new ObjectKey("ns", "stuck")))!;
        Assert.That(status.Conditions.Single(c => c.Type == CeleryConditions.QueuesConsumed).Status, Is.True, "not yet past the threshold");

        time.Advance(TimeSpan.FromSeconds(61));
        enqueued.Clear();
        await reader.ReadOnceAsync(CancellationToken.None);
        status = BacklogStatus.Of(celeries.List()[0], store.Get(new ObjectKey("ns", "stuck")))!;
        var condition = status.Conditions.Single(c => c.Type == CeleryConditions.QueuesConsumed);
        Assert.Multiple(() =>
        {
            Assert.That(condition.Status, Is.False);
            Assert.That(condition.Reason, Is.EqualTo(CeleryConditions.Reasons.NoConsumer));
            Assert.That(condition.Message, Does.StartWith("celery:"));
            Assert.That(enqueued, Has.Count.EqualTo(1));
            Assert.That(events.Reasons, Is.EqualTo(new[] { BacklogReader.NotConsumedReason }));
        });

        time.Advance(TimeSpan.FromSeconds(15));
        await reader.ReadOnceAsync(CancellationToken.None);
        Assert.That(events.Reasons, Has.Count.EqualTo(1), "one event per stall, not per pass");
    }

    [Test]
    public async Task MessagesInFlightCountAsConsumedAndAStallClaimsOnlyWhatTheOperatorSaw()
    {
        Add(Resource("sqs", ["celery", "mail"], new BacklogSpec { NoConsumerThresholdSeconds = 60 }));
        broker.Counts["celery"] = 3;
        broker.InFlight["celery"] = 1;
        broker.Counts["mail"] = 2;
        broker.InFlight["mail"] = 0;
        var reader = NewReader();

        await reader.ReadOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(61));
        await reader.ReadOnceAsync(CancellationToken.None);

        var status = BacklogStatus.Of(celeries.List()[0], store.Get(new ObjectKey("ns", "sqs")))!;
        var condition = status.Conditions.Single(c => c.Type == CeleryConditions.QueuesConsumed);
        Assert.Multiple(() =>
        {
            Assert.That(condition.Status, Is.False);
            Assert.That(condition.Message, Is.EqualTo("mail: messages waiting with no ready worker pod consuming them for more than 60s"),
                "a queue with messages in flight is being consumed; the broker counts no consumers, so none is claimed missing");
            Assert.That(status.Queues.Select(q => (q.Name, q.Messages, q.InFlight)), Is.EqualTo(new[] { ("celery", (long?)3, (long?)1), ("mail", 2, 0) }));
        });

        enqueued.Clear();
        broker.InFlight["celery"] = 2;
        time.Advance(TimeSpan.FromSeconds(15));
        await reader.ReadOnceAsync(CancellationToken.None);
        Assert.That(enqueued.Select(k => k.Name), Is.EqualTo(new[] { "sqs" }), "a change in flight is a status change");
    }

    [Test]
    public async Task ABrokerFailureIsNotedOnceAndTheOpenCircuitDoesNotRewriteIt()
    {
        Add(Resource("down", ["celery"]));
        broker.Failure = new SocketException((int)SocketError.ConnectionRefused);
        var reader = NewReader();

        await reader.ReadOnceAsync(CancellationToken.None);
        var first = store.Get(new ObjectKey("ns", "down"))!;
        Assert.That(first.Failure!.Reason, Is.EqualTo(BacklogReadFailure.Unreachable));
        Assert.That(first.Failure.Message, Is.EqualTo("cannot read queue lengths from redis://***@redis.example:6379/2: the broker is unreachable"));
        Assert.That(first.Failure.Message, Does.Not.Contain("s3cret"));

        enqueued.Clear();
        for (var pass = 0; pass < 5; pass++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await reader.ReadOnceAsync(CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(broker.Reads, Has.Count.EqualTo(2), "the circuit opened after two failed reads");
            Assert.That(store.Get(new ObjectKey("ns", "down"))!.Failure, Is.EqualTo(first.Failure), "the cause stays on status");
            Assert.That(enqueued, Is.Empty, "no status rewrite while the broker stays down");
        });
    }

    [Test]
    public async Task AnOutageStaysOnStatusAsTheFailureThatBeganItWhileTheFailureKindAlternatesButARefusalIsShown()
    {
        Add(Resource("down", ["celery"]));
        broker.Failure = new SocketException((int)SocketError.HostNotFound);
        var reader = NewReader();
        await reader.ReadOnceAsync(CancellationToken.None);
        var first = store.Get(new ObjectKey("ns", "down"))!.Failure!;
        Assert.That(first.Reason, Is.EqualTo(BacklogReadFailure.Unreachable));

        enqueued.Clear();
        broker.Failure = new TimeoutException("connect timed out");
        for (var pass = 0; pass < 4; pass++)
        {
            // Past the circuit's break each time, so every pass reads and fails anew, alternating the kind.
            time.Advance(TimeSpan.FromMinutes(2));
            await reader.ReadOnceAsync(CancellationToken.None);
            broker.Failure = pass % 2 == 0 ? new SocketException((int)SocketError.HostNotFound) : new TimeoutException("connect timed out");
        }

        Assert.That(broker.Reads, Has.Count.GreaterThanOrEqualTo(3), "the endpoint was read again after each break");
        Assert.That(store.Get(new ObjectKey("ns", "down"))!.Failure, Is.EqualTo(first), "the outage keeps the failure that began it");
        Assert.That(enqueued, Is.Empty, "no status rewrite while the broker stays down, whichever way it fails");

        broker.Failure = new RabbitMQ.Client.Exceptions.AuthenticationFailureException("ACCESS_REFUSED");
        time.Advance(TimeSpan.FromMinutes(2));
        await reader.ReadOnceAsync(CancellationToken.None);
        Assert.That(store.Get(new ObjectKey("ns", "down"))!.Failure!.Reason, Is.EqualTo(BacklogReadFailure.AuthenticationFailed), "a broker that answers and refuses is news");
        Assert.That(enqueued.Select(k => k.Name), Is.EqualTo(new[] { "down" }));
    }

    [Test]
    public async Task AReaderStartedAfterARestartRewritesNoStatusWhoseCountsAndStallAreUnchanged()
    {
        Add(Resource("stuck", ["celery", "mail"], new BacklogSpec { NoConsumerThresholdSeconds = 60 }));
        broker.Counts["celery"] = 4;
        var before = NewReader();
        await before.ReadOnceAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(61));
        await before.ReadOnceAsync(CancellationToken.None);
        var shown = ShowStatus("stuck", store);
        Assert.That(shown.Status!.Conditions!.Single(c => c.Type == CeleryConditions.QueuesConsumed).Status, Is.EqualTo("False"), "the queue is reported stalled before the restart");

        // The restarted operator: a new store and reader, the resource as status shows it.
        var restarted = new BacklogStore();
        var pending = CeleryStatusBuilder.Build(shown, new ObservedChildren(new Dictionary<string, V1Deployment>()) { BacklogPending = true }, ReconcileFindings.None, time.GetUtcNow().UtcDateTime);
        Assert.That(KubernetesJson.Serialize(pending), Is.EqualTo(KubernetesJson.Serialize(shown.Status)), "before its first read the restarted operator keeps the backlog status as shown");
        var dropped = CeleryStatusBuilder.Build(shown, new ObservedChildren(new Dictionary<string, V1Deployment>()), ReconcileFindings.None, time.GetUtcNow().UtcDateTime);
        Assert.That(dropped.Queues, Is.Null, "with no reader pending, a resource without a reading shows none");

        enqueued.Clear();
        time.Advance(TimeSpan.FromSeconds(15));
        await NewReader(restarted).ReadOnceAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(enqueued, Is.Empty, "the first read after a restart found what status shows");
            Assert.That(KubernetesJson.Serialize(StatusFrom(shown, restarted)), Is.EqualTo(KubernetesJson.Serialize(shown.Status)), "same counts, same observedAt, still stalled");
            Assert.That(events.Reasons, Has.Count.EqualTo(1), "the stall reported before the restart is not reported again");
        });

        broker.Counts["mail"] = 2;
        time.Advance(TimeSpan.FromSeconds(15));
        await NewReader(restarted).ReadOnceAsync(CancellationToken.None);
        Assert.That(enqueued.Select(k => k.Name), Is.EqualTo(new[] { "stuck" }), "a count that did change is still news");
    }

    [Test]
    public async Task AReaderStartedAfterARestartDuringAnOutageKeepsTheFailureStatusShows()
    {
        Add(Resource("down", ["celery"]));
        broker.Failure = new SocketException((int)SocketError.HostNotFound);
        await NewReader().ReadOnceAsync(CancellationToken.None);
        var shown = ShowStatus("down", store);

        enqueued.Clear();
        broker.Failure = new TimeoutException("connect timed out");
        time.Advance(TimeSpan.FromSeconds(15));
        var restarted = new BacklogStore();
        await NewReader(restarted).ReadOnceAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(enqueued, Is.Empty, "the outage that status shows goes on, whichever way the broker now fails");
            Assert.That(KubernetesJson.Serialize(StatusFrom(shown, restarted)), Is.EqualTo(KubernetesJson.Serialize(shown.Status)));
        });
    }

    // The resource with the status the operator writes from the store's observation of it.
    private CeleryResource ShowStatus(string name, BacklogStore from)
    {
        var resource = celeries.Get(new ObjectKey("ns", name))!;
        var shown = new CeleryResource { Metadata = resource.Metadata, Spec = resource.Spec };
        shown.Status = StatusFrom(shown, from);
        celeries.Upsert(shown);
        return shown;
    }

    private CeleryStatus StatusFrom(CeleryResource resource, BacklogStore from) =>
        CeleryStatusBuilder.Build(resource, new ObservedChildren(new Dictionary<string, V1Deployment>()) { Backlog = from.Get(ObjectKeys.Of(resource)) }, ReconcileFindings.None, time.GetUtcNow().UtcDateTime);

    private BacklogReader NewReader(BacklogStore? into = null)
    {
        var options = new BacklogOptions { Interval = TimeSpan.FromSeconds(15), BreakDuration = TimeSpan.FromMinutes(1) };
        var state = new CeleryClusterState(celeries, [new FixedDeployments(deployments)]);
        return new BacklogReader(state, (_, _) => Task.FromResult<BrokerEndpoint?>(Redis), into ?? store, new QueueDepthReaders(options, time, _ => broker),
            enqueued.Add, events, new BacklogMetrics(into ?? store), options, time, NullLogger<BacklogReader>.Instance);
    }

    private void Add(CeleryResource resource) => celeries.Upsert(resource);

    private static CeleryResource Resource(string name, IList<string> queues, BacklogSpec? backlog = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Uid = name + "-uid", Generation = 1 },
        Spec = new CelerySpec
        {
            Image = "example/app:1",
            App = "app:app",
            Broker = new BrokerSpec { Type = "redis", UrlSecretRef = new SecretKeyReference { Name = "broker", Key = "url" }, Backlog = backlog },
            Workers = [new WorkerGroupSpec { Name = "workers", Queues = queues }],
        },
    };

    private sealed class ScriptedBroker : IQueueDepthReader
    {
        public Dictionary<string, long> Counts { get; } = [];

        /// <summary>Messages in flight, for a broker that reports them apart (SQS).</summary>
        public Dictionary<string, long> InFlight { get; } = [];

        public List<IReadOnlyList<string>> Reads { get; } = [];

        public Exception? Failure { get; set; }

        public Task<IReadOnlyList<QueueDepth>> ReadAsync(BrokerEndpoint endpoint, IReadOnlyCollection<BacklogQueue> queues, CancellationToken cancellationToken)
        {
            Reads.Add([.. queues.Select(q => q.Name)]);
            return Failure is { } failure
                ? Task.FromException<IReadOnlyList<QueueDepth>>(failure)
                : Task.FromResult<IReadOnlyList<QueueDepth>>([.. queues.Select(q => new QueueDepth(q.Name, Counts.GetValueOrDefault(q.Name), null, InFlight.TryGetValue(q.Name, out var f) ? f : null))]);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class FixedDeployments(IReadOnlyList<V1Deployment> deployments) : IOwnedObjects
    {
        public ResourceDescriptor Resource { get; } = CeleryApiResources.Deployments;

        public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ControlledBy(string ownerUid) => [.. deployments];

        public IFingerprinted? Get(string? @namespace, string name) => null;
    }

    private sealed class RecordedEvents : IEventRecorder
    {
        public List<string> Reasons { get; } = [];

        public Task RecordAsync(IKubernetesObject<V1ObjectMeta> involved, EventSeverity severity, string reason, string action, string message, CancellationToken cancellationToken)
        {
            Reasons.Add(reason);
            return Task.CompletedTask;
        }

        public void Forget(string uid)
        {
        }
    }
}
