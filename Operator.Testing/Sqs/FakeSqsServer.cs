// A scripted stand-in for Amazon SQS, served over real HTTP on a loopback port, for tests of code that reads queue
// attributes through the AWS SDK (SQS itself cannot run here). It speaks what AWSSDK.SQS 4.x sends: the AWS JSON 1.0
// protocol, `POST /` with `X-Amz-Target: AmazonSQS.<Operation>` and `Content-Type: application/x-amz-json-1.0`, and
// answers GetQueueAttributes with the attributes asked for, as SQS does (numbers as strings). Errors have SQS's JSON
// shapes: the `__type` of the error, its message, and the `x-amzn-query-error` header that carries the query
// protocol's code (AWS.SimpleQueueService.NonExistentQueue for a missing queue, InvalidClientTokenId for an unknown
// access key). Every request is recorded as received. Invariants: a request in any other protocol or for any other
// operation gets a 400 (so a test cannot pass on a request SQS would refuse); a request without a SigV4
// Authorization header for the scripted access key id gets SQS's 403, as does one signed with STS's temporary key
// (StsWebIdentity, which the same port also answers) without its session token. It checks the signature's shape
// (algorithm, credential scope, signed headers), not its value.
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Operator.Testing.Sqs;

/// <summary>A fake SQS endpoint: queues with scripted counts, an accepted access key, and scripted failures.</summary>
public sealed class FakeSqsServer : IAsyncDisposable
{
    public const string JsonContentType = "application/x-amz-json-1.0";
    public const string TargetPrefix = "AmazonSQS.";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (long Visible, long InFlight)> queues = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SqsRequest> requests = new();

    private FakeSqsServer(WebApplication app) => this.app = app;

    /// <summary>Where to point the SDK (its ServiceURL), http://127.0.0.1:PORT.</summary>
    public Uri ServiceUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The access key id whose signatures are accepted; null accepts any signed request (a pod's own identity).</summary>
    public string? AcceptedAccessKeyId { get; set; }

    /// <summary>How long every answer waits (a slow endpoint).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, every GetQueueAttributes is refused with SQS's AccessDenied (an identity without sqs:GetQueueAttributes).</summary>
    public bool DenyAccess { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<SqsRequest> Requests => [.. requests];

    public static async Task<FakeSqsServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeSqsServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reported no address");
        server.ServiceUrl = new Uri(addresses.Addresses.First());
        return server;
    }

    /// <summary>Creates or updates a queue: <paramref name="visible"/> messages waiting, <paramref name="inFlight"/> received and not deleted.</summary>
    public void SetQueue(string queueUrl, long visible, long inFlight = 0) => queues[queueUrl] = (visible, inFlight);

    public void DeleteQueue(string queueUrl) => queues.TryRemove(queueUrl, out _);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        requests.Enqueue(new SqsRequest(context.Request.Method, context.Request.Path.Value ?? "", headers, body));
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted).ConfigureAwait(false);
        }

        var form = context.Request.ContentType?.StartsWith(StsWebIdentity.FormContentType, StringComparison.Ordinal) == true
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal)
            : [];
        if (StsWebIdentity.IsStsCall(context.Request.ContentType, form))
        {
            var (status, xml) = StsWebIdentity.Issued.Answer(form);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(xml, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var target = context.Request.Headers["X-Amz-Target"].ToString();
        if (context.Request.Method != HttpMethods.Post || context.Request.Path != "/" || context.Request.ContentType != JsonContentType || !target.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "com.amazonaws.sqs#InvalidAddress", "InvalidAddress", "not an AWS JSON 1.0 SQS request").ConfigureAwait(false);
            return;
        }

        if (SignedAccessKeyId(context.Request.Headers.Authorization.ToString(), headers) is not { } keyId || (AcceptedAccessKeyId is { } accepted && keyId != accepted))
        {
            await ErrorAsync(context, HttpStatusCode.Forbidden, "com.amazon.coral.service#UnrecognizedClientException", "InvalidClientTokenId", "The security token included in the request is invalid.").ConfigureAwait(false);
            return;
        }

        if (keyId == StsWebIdentity.Issued.AccessKeyId && context.Request.Headers["X-Amz-Security-Token"] != StsWebIdentity.Issued.SessionToken)
        {
            await ErrorAsync(context, HttpStatusCode.Forbidden, "com.amazon.coral.service#UnrecognizedClientException", "InvalidClientTokenId", "The security token included in the request is invalid.").ConfigureAwait(false);
            return;
        }

        if (target != TargetPrefix + "GetQueueAttributes")
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "com.amazonaws.sqs#UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", $"the fake does not serve {target}").ConfigureAwait(false);
            return;
        }

        if (DenyAccess)
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "com.amazon.coral.service#AccessDeniedException", "AccessDenied", "Access to the resource is denied.").ConfigureAwait(false);
            return;
        }

        var request = JsonNode.Parse(body)!.AsObject();
        var url = request["QueueUrl"]?.GetValue<string>() ?? "";
        if (!queues.TryGetValue(url, out var counts))
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.").ConfigureAwait(false);
            return;
        }

        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ApproximateNumberOfMessages"] = counts.Visible.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ApproximateNumberOfMessagesNotVisible"] = counts.InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ApproximateNumberOfMessagesDelayed"] = "0",
            ["VisibilityTimeout"] = "30",
        };
        var asked = request["AttributeNames"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        var attributes = new JsonObject();
        foreach (var (name, value) in all.Where(a => asked.Contains("All") || asked.Contains(a.Key)))
        {
            attributes[name] = value;
        }

        await WriteAsync(context, HttpStatusCode.OK, new JsonObject { ["Attributes"] = attributes }).ConfigureAwait(false);
    }

    // The access key id of a SigV4 Authorization header for SQS, or null when the header is not one:
    // "AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/sqs/aws4_request, SignedHeaders=..., Signature=HEX".
    private static string? SignedAccessKeyId(string authorization, IReadOnlyDictionary<string, string> headers)
    {
        const string Algorithm = "AWS4-HMAC-SHA256 ";
        if (!authorization.StartsWith(Algorithm, StringComparison.Ordinal) || !headers.ContainsKey("x-amz-date"))
        {
            return null;
        }

        var parts = authorization[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signed) || !parts.TryGetValue("Signature", out var signature))
        {
            return null;
        }

        var scope = credential.Split('/');
        var signedHeaders = signed.Split(';');
        return scope.Length == 5 && scope[3] == "sqs" && scope[4] == "aws4_request" && signature.Length == 64
            && signedHeaders.Contains("host") && signedHeaders.Contains("x-amz-target") && signedHeaders.Contains("x-amz-date")
            ? scope[0]
            : null;
    }

    private static Task ErrorAsync(HttpContext context, HttpStatusCode status, string type, string queryCode, string message)
    {
        context.Response.Headers["x-amzn-query-error"] = $"{queryCode};Sender";
        return WriteAsync(context, status, new JsonObject { ["__type"] = type, ["message"] = message });
    }

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = JsonContentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(body.ToJsonString(JsonSerializerOptions.Default), context.RequestAborted).ConfigureAwait(false);
    }
}
