// The SQS backlog reader through the real AWS SDK against a scripted fake of SQS (Operator.Testing's FakeSqsServer:
// SQS itself cannot run here). The fake speaks the AWS JSON 1.0 protocol AWSSDK.SQS 4.x sends and refuses anything
// else, so these tests fail if the SDK's request or the reader's use of it changes: the counts per queue URL, the
// attributes asked for by name, the SigV4 signature's presence and scope, a missing queue, refused keys, a slow or
// absent endpoint, the pod's IRSA identity exchanged at (fake) STS, and no credential in what the operator would log
// or show.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Operator.Celery.Backlog;
using Operator.Celery.Broker;
using Operator.Testing.Sqs;

namespace Operator.Tests.Celery;

[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SqsQueueDepthReaderTests
{
    private const string KeyId = "AKIAFAKEKEYID0000001";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYFAKEKEY";
    private const string Region = "eu-west-1";
    private const string Prefix = "https://sqs.eu-west-1.amazonaws.com/123456789012/";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private FakeSqsServer sqs = null!;

    [SetUp]
    public async Task StartFake()
    {
        sqs = await FakeSqsServer.StartAsync();
        sqs.AcceptedAccessKeyId = KeyId;
    }

    [TearDown]
    public async Task StopFake() => await sqs.DisposeAsync();

    [Test]
    public async Task CountsWaitingAndInFlightMessagesOfEachQueueUrlAsKedaNamesIt()
    {
        sqs.SetQueue(Prefix + "celery", visible: 7, inFlight: 2);
        sqs.SetQueue(Prefix + "mail-high", visible: 3);
        var endpoint = Endpoint(sqs.ServiceUrl);
        await using var reader = new SqsQueueDepthReader(endpoint, CallTimeout);

        var depths = await reader.ReadAsync(endpoint, [Queue("celery"), Queue("mail.high")], CancellationToken.None);

        Assert.That(depths, Is.EqualTo(new[] { new QueueDepth("celery", 7, null, 2), new QueueDepth("mail.high", 3, null, 0) }),
            "visible messages are the count, in-flight ones apart, no consumer count; mail.high is kombu's mail-high");
    }

    [Test]
    public async Task TheRequestIsAnAwsJsonGetQueueAttributesSignedForSqsInTheRegionAskingTwoAttributesByName()
    {
        sqs.SetQueue(Prefix + "celery", visible: 1);
        var endpoint = Endpoint(sqs.ServiceUrl);
        await using var reader = new SqsQueueDepthReader(endpoint, CallTimeout);
        await reader.ReadAsync(endpoint, [Queue("celery")], CancellationToken.None);

        var request = sqs.Requests.Single();
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var authorization = request.Header("Authorization") ?? "";
        Assert.Multiple(() =>
        {
            Assert.That((request.Method, request.Path), Is.EqualTo(("POST", "/")));
            Assert.That(request.Header("X-Amz-Target"), Is.EqualTo("AmazonSQS.GetQueueAttributes"));
            Assert.That(request.Header("Content-Type"), Is.EqualTo(FakeSqsServer.JsonContentType));
            Assert.That(body["QueueUrl"]!.GetValue<string>(), Is.EqualTo(Prefix + "celery"));
            Assert.That(body["AttributeNames"]!.AsArray().Select(n => n!.GetValue<string>()),
                Is.EquivalentTo(new[] { "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible" }), "by name, never All");
            Assert.That(authorization, Does.StartWith($"AWS4-HMAC-SHA256 Credential={KeyId}/"));
            Assert.That(authorization, Does.Contain($"/{Region}/sqs/aws4_request"), "signed for the resource's region");
            Assert.That(authorization, Does.Not.Contain(Secret));
            Assert.That(request.Header("X-Amz-Date"), Is.Not.Null);
        });
    }

    [Test]
    public async Task AMissingQueueCountsZeroWhileAnotherExists()
    {
        sqs.SetQueue(Prefix + "celery", visible: 4);
        var endpoint = Endpoint(sqs.ServiceUrl);
        await using var reader = new SqsQueueDepthReader(endpoint, CallTimeout);

        var depths = await reader.ReadAsync(endpoint, [Queue("celery"), Queue("not-created-yet")], CancellationToken.None);

        Assert.That(depths.Select(d => (d.Queue, d.Messages)), Is.EqualTo(new[] { ("celery", 4L), ("not-created-yet", 0L) }));
    }

    [Test]
    public async Task NoQueueAtTheConfiguredUrlsIsAClearNoteNamingTheUrl()
    {
        var failure = await FailureAsync(Endpoint(sqs.ServiceUrl), [Queue("celery"), Queue("mail")]);

        Assert.Multiple(() =>
        {
            Assert.That(failure.Reason, Is.EqualTo(BacklogReadFailure.Error));
            Assert.That(failure.Message, Is.EqualTo(
                $"cannot read queue lengths from sqs://***@{Host(sqs.ServiceUrl)} region {Region}: SQS has no queue at {Prefix}celery nor any of the other 1 queue URLs under {Prefix}; check spec.broker.sqs (queueUrlPrefix, region) or create the queue"));
        });
    }

    [Test]
    public async Task RefusedKeysAreAnAuthenticationFailureThatNamesNoCredential()
    {
        sqs.AcceptedAccessKeyId = "AKIAOTHERKEY00000000";
        var endpoint = Endpoint(sqs.ServiceUrl);
        var failure = await FailureAsync(endpoint, [Queue("celery")]);

        Assert.Multiple(() =>
        {
            Assert.That(failure.Reason, Is.EqualTo(BacklogReadFailure.AuthenticationFailed));
            Assert.That(failure.Message, Does.EndWith("SQS refused the access keys of the broker Secret, or they lack sqs:GetQueueAttributes"));
            // What the backlog loop logs of a failure: the connection key and the reason.
            foreach (var shown in new[] { failure.Message, failure.Reason, BrokerConnectionKey.Of(endpoint).ToString(), endpoint.ToString() })
            {
                Assert.That(shown, Does.Not.Contain(Secret).And.Not.Contain(KeyId).And.Not.Contain(Uri.EscapeDataString(Secret)));
            }
        });
    }

    [Test]
    public async Task AnIdentityWithoutTheGetQueueAttributesPermissionIsAnAuthenticationFailure()
    {
        sqs.SetQueue(Prefix + "celery", visible: 1);
        sqs.DenyAccess = true;
        var failure = await FailureAsync(Endpoint(sqs.ServiceUrl), [Queue("celery")]);
        Assert.That(failure.Reason, Is.EqualTo(BacklogReadFailure.AuthenticationFailed), failure.Message);
    }

    [Test]
    public async Task ASlowEndpointTimesOutUnderTheGuard()
    {
        sqs.SetQueue(Prefix + "celery", visible: 1);
        sqs.Delay = TimeSpan.FromSeconds(10);
        var options = new BacklogOptions { Interval = TimeSpan.FromSeconds(15), CallTimeout = TimeSpan.FromMilliseconds(300) };
        await using var readers = new QueueDepthReaders(options, TimeProvider.System);
        var endpoint = Endpoint(sqs.ServiceUrl);
        var started = DateTime.UtcNow;

        var error = Assert.CatchAsync(async () => await readers.ReadAsync(endpoint, [Queue("celery")], CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(BacklogReadFailure.Of(error!, endpoint).Reason, Is.EqualTo(BacklogReadFailure.Timeout), error!.GetType().Name);
            Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(5)), "cut off by the call timeout, not the fake's delay");
        });
    }

    [Test]
    public async Task AnEndpointNobodyListensOnIsUnreachable()
    {
        var closed = ClosedPort();
        var failure = await FailureAsync(Endpoint(new Uri($"http://127.0.0.1:{closed}")), [Queue("celery")]);
        Assert.That(failure.Reason, Is.EqualTo(BacklogReadFailure.Unreachable), failure.Message);
    }

    [Test]
    public async Task HalfAKeyPairIsAClearNoteAndSendsNothing()
    {
        var endpoint = BrokerUrlParser.Parse("sqs", $"sqs://{KeyId}@{Host(sqs.ServiceUrl)}").Endpoint! with { Region = Region, QueueUrlPrefix = Prefix };
        var failure = await FailureAsync(endpoint, [Queue("celery")]);
        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.EndWith("the broker URL has only half an AWS access key pair (sqs://ACCESS_KEY_ID:SECRET_ACCESS_KEY@ needs both)"));
            Assert.That(failure.Message, Does.Not.Contain(KeyId));
            Assert.That(sqs.Requests, Is.Empty);
        });
    }

    [Test]
    [NonParallelizable]
    public async Task WithoutKeysInTheUrlTheOperatorsIrsaIdentityIsExchangedAtStsAndSignsTheRead()
    {
        sqs.AcceptedAccessKeyId = StsWebIdentity.Issued.AccessKeyId;
        sqs.SetQueue(Prefix + "celery", visible: 5);
        var token = Path.GetTempFileName();
        await File.WriteAllTextAsync(token, "eyJhbGciOiJSUzI1NiJ9.fake-projected-service-account-token.sig");
        // What EKS injects into a pod whose service account names a role, with STS pointed at the fake.
        var irsa = new Dictionary<string, string?>
        {
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = token,
            ["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/celery-operator",
            ["AWS_REGION"] = Region,
            ["AWS_ENDPOINT_URL_STS"] = sqs.ServiceUrl.ToString(),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_PROFILE"] = null,
        };
        var saved = irsa.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in irsa)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var endpoint = Parse($"sqs://{Host(sqs.ServiceUrl)}") with { Region = Region, QueueUrlPrefix = Prefix };
            await using var reader = new SqsQueueDepthReader(endpoint, CallTimeout);
            var depths = await reader.ReadAsync(endpoint, [Queue("celery")], CancellationToken.None);

            var sts = sqs.Requests.Where(r => r.Header("Content-Type")?.StartsWith(StsWebIdentity.FormContentType, StringComparison.Ordinal) == true).ToList();
            var read = sqs.Requests.Single(r => r.Header("X-Amz-Target") == "AmazonSQS.GetQueueAttributes");
            Assert.Multiple(() =>
            {
                Assert.That(depths.Single().Messages, Is.EqualTo(5));
                Assert.That(sts, Has.Count.EqualTo(1), "one AssumeRoleWithWebIdentity");
                Assert.That(sts[0].Body, Does.Contain("Action=AssumeRoleWithWebIdentity").And.Contain("fake-projected-service-account-token"));
                Assert.That(read.Header("Authorization"), Does.StartWith($"AWS4-HMAC-SHA256 Credential={StsWebIdentity.Issued.AccessKeyId}/"), "signed with the role's temporary key");
                Assert.That(read.Header("X-Amz-Security-Token"), Is.EqualTo(StsWebIdentity.Issued.SessionToken));
            });
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            File.Delete(token);
        }
    }

    [Test]
    public void AHostInTheBrokerUrlIsWhereKombuSendsItsCallsOverHttp()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Parse("sqs://k:s@localhost:4566").SqsEndpointUrl, Is.EqualTo("http://localhost:4566"));
            Assert.That(Parse("sqs://k:s@sqs.internal").SqsEndpointUrl, Is.EqualTo("http://sqs.internal"));
            Assert.That(Parse("sqs://k:s@").SqsEndpointUrl, Is.Null, "AWS's regional endpoint");
            Assert.That(Parse("sqs://").SqsEndpointUrl, Is.Null);
        });
    }

    [Test]
    public void ReadersAreSharedPerEndpointRegionPrefixAndKeys()
    {
        var a = Endpoint(sqs.ServiceUrl);
        Assert.Multiple(() =>
        {
            Assert.That(BrokerConnectionKey.Of(a with { }), Is.EqualTo(BrokerConnectionKey.Of(a)));
            Assert.That(BrokerConnectionKey.Of(a with { Region = "us-east-1" }), Is.Not.EqualTo(BrokerConnectionKey.Of(a)));
            Assert.That(BrokerConnectionKey.Of(a with { QueueUrlPrefix = "https://sqs.eu-west-1.amazonaws.com/999999999999/" }), Is.Not.EqualTo(BrokerConnectionKey.Of(a)));
            Assert.That(BrokerConnectionKey.Of(a with { Password = "other" }), Is.Not.EqualTo(BrokerConnectionKey.Of(a)));
            Assert.That(QueueDepthReaders.Supports(BrokerKind.Sqs), Is.True);
        });
    }

    private static BrokerEndpoint Parse(string url) => BrokerUrlParser.Parse("sqs", url).Endpoint!;

    // The endpoint as the operator resolves it: the broker Secret's sqs:// URL (keys, and the fake's host) plus spec.broker.sqs.
    private static BrokerEndpoint Endpoint(Uri serviceUrl) =>
        Parse($"sqs://{KeyId}:{Uri.EscapeDataString(Secret)}@{Host(serviceUrl)}") with { Region = Region, QueueUrlPrefix = Prefix };

    private static string Host(Uri serviceUrl) => $"{serviceUrl.Host}:{serviceUrl.Port.ToString(CultureInfo.InvariantCulture)}";

    private static BacklogQueue Queue(string name) => new(name, BacklogQueue.DefaultPrioritySteps);

    private static async Task<BacklogReadFailure> FailureAsync(BrokerEndpoint endpoint, IReadOnlyCollection<BacklogQueue> queues)
    {
        var options = new BacklogOptions { Interval = TimeSpan.FromSeconds(15), CallTimeout = CallTimeout };
        await using var readers = new QueueDepthReaders(options, new FakeTimeProvider(DateTimeOffset.UtcNow));
        try
        {
            await readers.ReadAsync(endpoint, queues, CancellationToken.None);
        }
        catch (Exception e) when (e is not AssertionException)
        {
            return BacklogReadFailure.Of(e, endpoint);
        }

        throw new AssertionException("the read succeeded");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
