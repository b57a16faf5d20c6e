// The backlog the operator reads, against a real broker: tasks sent by real Celery (Redis: with priorities 0, 3 and
// 9, so kombu spreads them over three lists), the operator in-process on the emulator reading the broker every
// second. What a user sees must equal the broker's own count: status.queues, each group's backlog, the BACKLOG
// column of `kubectl get celery`, and the celery_queue_messages series. A worker drains the queues and all of it
// falls to 0. Then the broker stops: a clear BacklogRead=False note naming the endpoint without its password, no
// crash, a bounded number of status writes and read attempts (no hot loop), and recovery when the broker returns.
using k8s;
using k8s.Models;
using Operator.Celery.Backlog;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.IntegrationTests.Reconciliation;

namespace Operator.IntegrationTests.Conformance;

/// <summary>Backlog checks against one broker kind; derived fixtures start the broker.</summary>
[Category(ConformanceCategory.Name)]
[NonParallelizable]
public abstract class BacklogConformanceTests : BrokerFixture
{
    private const string Name = "backlog";
    private const string DefaultQueue = "backlog.default";
    private const string UrgentQueue = "backlog.urgent";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private static readonly BacklogOptions Reader = new()
    {
        Interval = TimeSpan.FromSeconds(1),
        CallTimeout = TimeSpan.FromMilliseconds(800),
        BreakDuration = TimeSpan.FromSeconds(3),
    };

    private protected override void RequireTools()
    {
        base.RequireTools();
        Assume.That(Emulator.KubectlRunner.Installed, "kubectl is needed for the BACKLOG column");
    }

    /// <summary>Runs after the fixture's SetUp has started the broker: each check starts from empty queues.</summary>
    [SetUp]
    public Task EmptyQueues() => Broker.ResetAsync([DefaultQueue, UrgentQueue], Cancellation);

    /// <summary>The broker's own count of messages waiting in <paramref name="queue"/> (all its priority lists on Redis).</summary>
    private protected abstract Task<long> BrokerCountAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Whether the broker reports consumers (status.queues[].consumers is set).</summary>
    private protected abstract bool ReportsConsumers { get; }

    [Test]
    public async Task StatusColumnAndMetricEqualTheBrokersCountAndFallToZero()
    {
        await using var op = await StartOperatorAsync();
        var rendered = RenderedCelery.Render(Manifest(Broker.BrokerType), Broker);
        await using var workspace = CeleryWorkspace.Create(rendered.Spec.App);
        var container = rendered.WorkerContainer("urgent");
        var client = new CeleryClient(workspace, rendered.Spec.App, rendered.Environment(container));
        await client.SendAsync(
        [
            TaskMessage.Record(DefaultQueue, "d1"), TaskMessage.Record(DefaultQueue, "d2"),
            TaskMessage.Record(UrgentQueue, "u0", 0), TaskMessage.Record(UrgentQueue, "u3a", 3), TaskMessage.Record(UrgentQueue, "u3b", 3),
            TaskMessage.Record(UrgentQueue, "u9a", 9), TaskMessage.Record(UrgentQueue, "u9b", 9), TaskMessage.Record(UrgentQueue, "u9c", 9),
        ], Cancellation);
        var expected = new Dictionary<string, long>
        {
            [DefaultQueue] = await BrokerCountAsync(DefaultQueue, Cancellation),
            [UrgentQueue] = await BrokerCountAsync(UrgentQueue, Cancellation),
        };
        Assert.That(expected.Values, Is.EqualTo(new long[] { 2, 6 }), "the broker holds every task sent");

        var resource = await WaitForBacklogAsync(op, expected);
        Assert.Multiple(() =>
        {
            Assert.That(resource.Status!.Backlog, Is.EqualTo(8), "status.backlog sums the queues");
            Assert.That(resource.Status.Workers!.Single(w => w.Name == "default").Backlog, Is.EqualTo(2));
            Assert.That(resource.Status.Workers!.Single(w => w.Name == "urgent").Backlog, Is.EqualTo(8), "urgent consumes both queues");
            Assert.That(resource.Status.Conditions!.Single(c => c.Type == CeleryConditions.BacklogRead).Status, Is.EqualTo("True"));
            Assert.That(resource.Status.Queues!.All(q => q.Consumers is null != ReportsConsumers), Is.True, "consumers are reported where the broker knows them");
        });
        Assert.That(await BacklogProbes.BacklogColumnAsync(op, Name), Is.EqualTo("8"), "kubectl get celery shows the total in its BACKLOG column");
        Assert.That(BacklogProbes.QueueMessages(op), Is.EquivalentTo(new Dictionary<(string, string), long>
        {
            [("default", DefaultQueue)] = 2,
            [("urgent", DefaultQueue)] = 2,
            [("urgent", UrgentQueue)] = 6,
        }), "celery_queue_messages{group,queue}");

        var worker = workspace.Start(container, rendered);
        try
        {
            await WaitForBacklogAsync(op, new Dictionary<string, long> { [DefaultQueue] = 0, [UrgentQueue] = 0 });
            Assert.That(await BacklogProbes.BacklogColumnAsync(op, Name), Is.EqualTo("0"));
            Assert.That(BacklogProbes.QueueMessages(op).Values, Is.All.Zero);
            if (ReportsConsumers)
            {
                var consumed = await Eventually.UntilAsync("the worker shows as a consumer of both queues", Settle,
                    _ => op.GetCeleryAsync(op.Namespace, Name)!, c => c?.Status?.Queues?.All(q => q.Consumers >= 1) == true, Cancellation);
                Assert.That(consumed!.Status!.Queues!.Select(q => q.Consumers), Is.All.GreaterThanOrEqualTo(1));
            }
        }
        finally
        {
            await worker.TerminateAsync(Cancellation);
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(60), Cancellation);
        }
    }

    [Test]
    public async Task BrokerOutageIsAClearNoteWithoutHotLoopAndRecovers()
    {
        await using var op = await StartOperatorAsync();
        await ApplyAsync(op);
        await WaitForBacklogAsync(op, new Dictionary<string, long> { [DefaultQueue] = 0, [UrgentQueue] = 0 });

        await Broker.StopAsync(Cancellation);
        var down = await Eventually.UntilAsync("BacklogRead=False while the broker is down", Settle,
            _ => op.GetCeleryAsync(op.Namespace, Name)!, c => Condition(c, CeleryConditions.BacklogRead)?.Status == "False", Cancellation);
        var note = Condition(down, CeleryConditions.BacklogRead)!;
        var password = BrokerPassword();
        Assert.Multiple(() =>
        {
            Assert.That(note.Reason, Is.EqualTo(CeleryConditions.Reasons.BrokerUnreachable).Or.EqualTo(CeleryConditions.Reasons.BrokerTimeout), note.Message);
            Assert.That(note.Message, Does.StartWith($"cannot read queue lengths from {Broker.BrokerType switch { "redis" => "redis", _ => "amqp" }}://***@127.0.0.1:"), "names the endpoint, redacted");
            Assert.That(note.Message, Does.Not.Contain(password), "no credential on status");
            Assert.That(down!.Status!.Queues, Is.Not.Empty, "the last counts read stay on status");
        });
        foreach (var e in (await op.Client.CoreV1.ListNamespacedEventAsync(op.Namespace, cancellationToken: Cancellation)).Items)
        {
            Assert.That(e.Message ?? "", Does.Not.Contain(password), "no credential in events");
        }

        // Ten intervals of outage: the status is written at most once more (circuit state must not churn it), and the
        // reads attempted stay near one per interval, not a retry storm.
        var writesBefore = StatusWrites(op);
        var errorsBefore = ReadErrors(op);
        await Task.Delay(Reader.Interval * 10, Cancellation);
        Assert.Multiple(() =>
        {
            Assert.That(StatusWrites(op) - writesBefore, Is.LessThanOrEqualTo(1), "status writes during the outage");
            Assert.That(ReadErrors(op) - errorsBefore, Is.InRange(3, 15), "one failed or skipped read per interval");
        });
        op.AssertRunning();

        await Broker.StartAsync(Cancellation);
        await Eventually.UntilAsync("BacklogRead=True once the broker is back", Reader.BreakDuration + Settle,
            _ => op.GetCeleryAsync(op.Namespace, Name)!, c => Condition(c, CeleryConditions.BacklogRead)?.Status == "True", Cancellation);
    }

    private static string Manifest(string brokerType) => $$"""
        apiVersion: celeryproject.org/v1alpha1
        kind: Celery
        metadata: {name: {{Name}}}
        spec:
          image: example.com/backlog:1
          app: shop.celery:app
          broker:
            type: {{brokerType}}
            urlSecretRef: {name: {{Name}}-broker, key: url}
          flower: {enabled: false}
          workers:
            - {name: default, queues: [{{DefaultQueue}}]}
            - {name: urgent, queues: [{{UrgentQueue}}, {{DefaultQueue}}]}
        """;

    private async Task<OperatorUnderTest> StartOperatorAsync()
    {
        var op = await OperatorUnderTest.StartAsync(installKeda: false, backlog: Reader);
        await ApplyAsync(op);
        return op;
    }

    private async Task ApplyAsync(OperatorUnderTest op)
    {
        if (await op.GetCeleryAsync(op.Namespace, Name) is not null)
        {
            return;
        }

        await op.CreateSecretAsync(op.Namespace, $"{Name}-broker", new Dictionary<string, string> { ["url"] = Broker.BrokerUrl });
        (await op.KubectlApplyAsync(Manifest(Broker.BrokerType))).EnsureSuccess();
    }

    private async Task<CeleryResource> WaitForBacklogAsync(OperatorUnderTest op, IReadOnlyDictionary<string, long> expected) =>
        (await Eventually.UntilAsync($"status.queues equals {string.Join(", ", expected)}", Settle,
            _ => op.GetCeleryAsync(op.Namespace, Name)!,
            c => c?.Status?.Queues is { } queues && expected.All(e => queues.Any(q => q.Name == e.Key && q.Messages == e.Value)),
            Cancellation))!;

    private static long ReadErrors(OperatorUnderTest op)
    {
        var module = op.Module ?? throw new InvalidOperationException("in-process only");
        return module.BacklogMetrics.ReadErrorsObserved;
    }

    private static int StatusWrites(OperatorUnderTest op) =>
        op.OperatorWrites().Count(w => w.Resource == CeleryResource.Plural && w.Subresource == "status");

    private static V1Condition? Condition(CeleryResource? resource, string type) =>
        resource?.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private string BrokerPassword()
    {
        var userInfo = new Uri(Broker.BrokerUrl).UserInfo;
        return Uri.UnescapeDataString(userInfo[(userInfo.IndexOf(':', StringComparison.Ordinal) + 1)..]);
    }
}

public sealed class RedisBacklogConformanceTests : BacklogConformanceTests
{
    private protected override bool ReportsConsumers => false;

    private protected override async Task<IBrokerServer> StartBrokerAsync(CancellationToken cancellationToken) =>
        await RedisServer.StartNewAsync(cancellationToken);

    private protected override async Task<long> BrokerCountAsync(string queue, CancellationToken cancellationToken)
    {
        var server = (RedisServer)Broker;
        long total = 0;
        // kombu's lists for the default priority steps 0, 3, 6 and 9.
        foreach (var list in new[] { queue }.Concat(new[] { 3, 6, 9 }.Select(step => $"{queue}{Operator.Celery.Builders.ScaledObjectBuilder.RedisPrioritySeparator}{step}")))
        {
            total += await server.CountReadyAsync(list, cancellationToken);
        }

        return total;
    }
}

public sealed class RabbitMqBacklogConformanceTests : BacklogConformanceTests
{
    private protected override bool ReportsConsumers => true;

    private protected override async Task<IBrokerServer> StartBrokerAsync(CancellationToken cancellationToken)
    {
        LocalPrograms.RequireRabbitMq();
        return await RabbitMqServer.StartNewAsync(cancellationToken);
    }

    private protected override Task<long> BrokerCountAsync(string queue, CancellationToken cancellationToken) => Broker.CountReadyAsync(queue, cancellationToken);
}
