using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Operator.Runtime.Apply;
using Operator.Runtime.Cache;
using Operator.Runtime.Source;

namespace Operator.Tests.Apply;

// The applier's steady-state rule, read from the owned cache alone: a cached child whose applied fingerprint equals
// the desired object's costs no request; any other fingerprint (drift, or never applied by us) is applied again.
public sealed class ChildSetApplierFingerprintTests
{
    private const string Owner = "owner-uid";
    private static readonly ResourceDescriptor ConfigMaps = new("", "v1", "configmaps", "ConfigMap", Namespaced: true);
    private static readonly ReplicasHandOver HandOver = new("example.com/replicas-owner", "autoscaler", "hand-over");

    [Test]
    public async Task ACachedChildWhoseAppliedFingerprintIsTheDesiredOnesIsUnchangedWithoutARequest()
    {
        var desired = Desired("v1");
        var (outcomes, requests) = await ApplyAsync(desired, Cached(AppliedFieldsFingerprint.OfDesired(desired)));
        Assert.That(outcomes.Single().Action, Is.EqualTo(ChildAction.Unchanged));
        Assert.That(requests, Is.Empty);
    }

    [TestCase("drifted", TestName = "ACachedChildWhoseFieldsDriftedIsAppliedAgain")]
    [TestCase(null, TestName = "ACachedChildWeNeverAppliedIsApplied")]
    public async Task ACachedChildWithAnotherFingerprintIsApplied(string? fingerprint)
    {
        var desired = Desired("v1");
        var (outcomes, requests) = await ApplyAsync(desired, Cached(fingerprint is null ? null : AppliedFieldsFingerprint.OfDesired(Desired(fingerprint))));
        Assert.That(outcomes.Single().Action, Is.EqualTo(ChildAction.Updated));
        Assert.That(requests, Is.EqualTo(new[] { "PATCH /api/v1/namespaces/ns/configmaps/c?fieldManager=op&force=true" }));
    }

    private static JsonObject Desired(string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "c", ["namespace"] = "ns" },
        ["data"] = new JsonObject { ["value"] = value },
    };

    private static Fingerprinted<V1ConfigMap> Cached(FieldsFingerprint? fingerprint) => new(
        new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = "c",
                NamespaceProperty = "ns",
                ResourceVersion = "1",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Owner", Name = "o", Uid = Owner, Controller = true }],
            },
        },
        fingerprint);

    private static async Task<(IReadOnlyList<ChildOutcome> Outcomes, List<string> Requests)> ApplyAsync(JsonObject desired, Fingerprinted<V1ConfigMap> cached)
    {
        var cache = new ObjectCache<Fingerprinted<V1ConfigMap>>();
        cache.Upsert(cached);
        var server = new RecordingServer();
        using var kubernetes = new Kubernetes(new KubernetesClientConfiguration { Host = "http://api.invalid" }, server);
        var applier = new ChildSetApplier([new OwnedObjects<V1ConfigMap>(ConfigMaps, cache)], new ServerSideApplyClient(kubernetes, "op"), HandOver);
        var outcomes = await applier.ApplyAsync(new ChildSet(Owner, [new DesiredChild(ConfigMaps, desired)], []), CancellationToken.None);
        return (outcomes, server.Requests);
    }

    // Answers every request with the object it was sent, and records the method and path of each.
    private sealed class RecordingServer : DelegatingHandler
    {
        public List<string> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
            var body = request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        }
    }
}
