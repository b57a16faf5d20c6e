// The SQS backlog through the whole operator, in-process on the emulator. SQS cannot run here: the broker is the
// scripted SQS fake of the test kit (FakeSqsServer, AWS JSON 1.0 as AWSSDK.SQS 4.x speaks it), which the broker
// Secret's sqs://KEY:SECRET@127.0.0.1:PORT URL points the operator's AWS client at, as kombu would. So this proves
// the operator's side (queue URLs, region, signing keys, status, printer column, metrics, failure notes) against
// SQS's documented wire format, not against Amazon's service. A user's view must equal the fake's counts:
// status.queues (messages and inFlight), each group's backlog, the BACKLOG column of `kubectl get celery`, and the
// celery_queue_messages series; then refused keys give a clear BacklogRead=False note, and the keys appear nowhere
// a user or a log reader can see: status, events, logs, metric labels.
using System.Text.Json;
using k8s;
using Operator.Celery.Backlog;
using Operator.Celery.Reconciliation;
using Operator.Testing.Sqs;

namespace Operator.IntegrationTests.Reconciliation;

[NonParallelizable]
public sealed class SqsBacklogTests
{
    private const string Name = "sqs-backlog";
    private const string KeyId = "AKIAFAKEINTEGRATION1";
    private const string Secret = "fAkE/sEcReT+kEy/0123456789abcdefGHIJKL";
    private const string Prefix = "https://sqs.eu-west-1.amazonaws.com/123456789012/";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private static readonly BacklogOptions Reader = new()
    {
        Interval = TimeSpan.FromSeconds(1),
        CallTimeout = TimeSpan.FromMilliseconds(800),
        BreakDuration = TimeSpan.FromSeconds(3),
    };

    [Test]
    public async Task StatusColumnAndMetricEqualTheFakesCountsAndRefusedKeysAreAClearNoteThatShowsNoKey()
    {
        Assume.That(Emulator.KubectlRunner.Installed, "kubectl is needed for the BACKLOG column");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var cancellation = timeout.Token;
        await using var sqs = await FakeSqsServer.StartAsync(cancellation);
        sqs.AcceptedAccessKeyId = KeyId;
        sqs.SetQueue(Prefix + "backlog-default", visible: 2, inFlight: 1);
        sqs.SetQueue(Prefix + "backlog-urgent", visible: 6);
        using var logs = new RecordedLogs();
        using var loggers = logs.CreateFactory();
        await using var op = await OperatorUnderTest.StartAsync(installKeda: false, loggers: loggers, backlog: Reader);
        await op.CreateSecretAsync(op.Namespace, $"{Name}-broker", new Dictionary<string, string>
        {
            ["url"] = $"sqs://{KeyId}:{Uri.EscapeDataString(Secret)}@127.0.0.1:{sqs.ServiceUrl.Port}",
        });
        (await op.KubectlApplyAsync(Manifest)).EnsureSuccess();

        var read = (await Eventually.UntilAsync("status.queues shows the fake's counts", Settle, _ => op.GetCeleryAsync(op.Namespace, Name)!,
            c => c?.Status?.Queues is { } q && q.Any(x => x.Name == "backlog.default" && x.Messages == 2) && q.Any(x => x.Name == "backlog.urgent" && x.Messages == 6),
            cancellation))!;
        Assert.Multiple(() =>
        {
            Assert.That(read.Status!.Backlog, Is.EqualTo(8), "status.backlog sums the waiting messages");
            Assert.That(read.Status.Workers!.Single(w => w.Name == "default").Backlog, Is.EqualTo(2));
            Assert.That(read.Status.Workers!.Single(w => w.Name == "urgent").Backlog, Is.EqualTo(8));
            Assert.That(read.Status.Queues!.Select(q => (q.Name, q.InFlight)), Is.EquivalentTo(new[] { ("backlog.default", (long?)1), ("backlog.urgent", 0) }),
                "in-flight messages are shown apart");
            Assert.That(read.Status.Queues!.Select(q => q.Consumers), Is.All.Null, "SQS does not know its consumers");
            Assert.That(read.Status.Conditions!.Single(c => c.Type == CeleryConditions.BacklogRead).Status, Is.EqualTo("True"));
        });
        Assert.That(await BacklogProbes.BacklogColumnAsync(op, Name), Is.EqualTo("8"), "kubectl get celery shows the total in its BACKLOG column");
        Assert.That(BacklogProbes.QueueMessages(op), Is.EquivalentTo(new Dictionary<(string, string), long>
        {
            [("default", "backlog.default")] = 2,
            [("urgent", "backlog.default")] = 2,
            [("urgent", "backlog.urgent")] = 6,
        }), "celery_queue_messages{group,queue}");
        Assert.That(sqs.Requests.Select(r => r.Header("X-Amz-Target")).Distinct(), Is.EqualTo(new[] { "AmazonSQS.GetQueueAttributes" }), "reads only");

        sqs.AcceptedAccessKeyId = "AKIAROTATEDKEY000000";
        var refused = (await Eventually.UntilAsync("BacklogRead=False once SQS refuses the keys", Settle, _ => op.GetCeleryAsync(op.Namespace, Name)!,
            c => c?.Status?.Conditions?.FirstOrDefault(x => x.Type == CeleryConditions.BacklogRead)?.Status == "False", cancellation))!;
        var note = refused.Status!.Conditions!.Single(c => c.Type == CeleryConditions.BacklogRead);
        Assert.Multiple(() =>
        {
            Assert.That(note.Reason, Is.EqualTo(CeleryConditions.Reasons.BrokerAuthenticationFailed));
            Assert.That(note.Message, Is.EqualTo($"cannot read queue lengths from sqs://***@127.0.0.1:{sqs.ServiceUrl.Port} region eu-west-1: "
                + "SQS refused the access keys of the broker Secret, or they lack sqs:GetQueueAttributes; status.queues shows the last counts read"));
        });
        op.AssertRunning();

        var events = (await op.Client.CoreV1.ListNamespacedEventAsync(op.Namespace, cancellationToken: cancellation)).Items.Select(e => e.Message ?? "");
        var seen = new Dictionary<string, IEnumerable<string>>
        {
            ["status"] = [JsonSerializer.Serialize(refused.Status)],
            ["events"] = events,
            ["logs"] = logs.Entries.Select(e => e.Message),
            ["metric labels"] = BacklogProbes.Series(op).SelectMany(s => s.Labels.Values),
        };
        Assert.That(logs.Entries.Any(e => e.Message.Contains("sqs://***@127.0.0.1", StringComparison.Ordinal)), Is.True, "the failed read is logged, redacted");
        foreach (var (where, texts) in seen)
        {
            foreach (var text in texts)
            {
                Assert.That(text, Does.Not.Contain(Secret).And.Not.Contain(Uri.EscapeDataString(Secret)).And.Not.Contain(KeyId), $"no key in {where}");
            }
        }
    }

    private static string Manifest => $$"""
        apiVersion: celeryproject.org/v1alpha1
        kind: Celery
        metadata: {name: {{Name}}}
        spec:
          image: example.com/backlog:1
          app: shop.celery:app
          broker:
            type: sqs
            urlSecretRef: {name: {{Name}}-broker, key: url}
            sqs: {region: eu-west-1, queueUrlPrefix: "{{Prefix}}"}
          flower: {enabled: false}
          workers:
            - {name: default, queues: [backlog.default]}
            - {name: urgent, queues: [backlog.urgent, backlog.default]}
        """;
}
