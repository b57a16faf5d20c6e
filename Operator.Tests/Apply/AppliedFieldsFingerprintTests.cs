using System.Text.Json;
using System.Text.Json.Nodes;
using Operator.Runtime.Apply;

namespace Operator.Tests.Apply;

/// <summary>
/// The live objects here are shaped as the API server returns them after an apply: defaulted fields, another
/// manager's fields, status, and managedFields in FieldsV1 encoding (keyed list items, "." markers, atomic items).
/// </summary>
public sealed class AppliedFieldsFingerprintTests
{
    private const string Manager = "celery-operator";

    private const string Desired = """
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": { "name": "w", "namespace": "ns", "labels": { "app": "w" }, "annotations": { "hash": "h1" },
                        "ownerReferences": [ { "apiVersion": "v1", "kind": "Celery", "name": "c", "uid": "u1", "controller": true } ] },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "w" } },
            "template": {
              "metadata": { "labels": { "app": "w" } },
              "spec": { "containers": [ { "name": "worker", "image": "celery:1", "args": ["-Q", "a"],
                                          "ports": [ { "containerPort": 5555 } ],
                                          "resources": { "limits": { "cpu": "1000m", "memory": "0.5Gi" } } } ] }
            }
          }
        }
        """;

    private const string FieldsV1 = """
        {
          "f:metadata": { "f:labels": { "f:app": {} }, "f:annotations": { "f:hash": {} }, "f:ownerReferences": { "k:{\"uid\":\"u1\"}": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": { "f:containers": { "k:{\"name\":\"worker\"}": {
                ".": {}, "f:name": {}, "f:image": {}, "f:args": {},
                "f:ports": { "k:{\"containerPort\":5555,\"protocol\":\"TCP\"}": { ".": {}, "f:containerPort": {} } },
                "f:resources": { "f:limits": { "f:cpu": {}, "f:memory": {} } } } } }
            }
          }
        }
        """;

    private static JsonObject Live(Action<JsonObject>? edit = null, string? fieldsV1 = null, string manager = Manager)
    {
        var live = JsonNode.Parse(Desired)!.AsObject();
        var metadata = live["metadata"]!.AsObject();
        metadata["uid"] = "d1";
        metadata["resourceVersion"] = "42";
        metadata["generation"] = 3;
        metadata["labels"]!["team"] = "payments";
        metadata["managedFields"] = new JsonArray(
            new JsonObject { ["manager"] = "kube-controller-manager", ["operation"] = "Update", ["subresource"] = "status", ["fieldsType"] = "FieldsV1", ["fieldsV1"] = JsonNode.Parse("""{"f:status":{}}""") },
            new JsonObject { ["manager"] = manager, ["operation"] = "Apply", ["fieldsType"] = "FieldsV1", ["fieldsV1"] = JsonNode.Parse(fieldsV1 ?? FieldsV1) },
            new JsonObject { ["manager"] = "kubectl-label", ["operation"] = "Update", ["fieldsType"] = "FieldsV1", ["fieldsV1"] = JsonNode.Parse("""{"f:metadata":{"f:labels":{"f:team":{}}}}""") });
        var spec = live["spec"]!.AsObject();
        spec["strategy"] = JsonNode.Parse("""{"type":"RollingUpdate"}""");
        spec["revisionHistoryLimit"] = 10;
        var containers = spec["template"]!["spec"]!["containers"]!.AsArray();
        var worker = containers[0]!.AsObject();
        worker["terminationMessagePath"] = "/dev/termination-log";
        worker["ports"]![0]!["protocol"] = "TCP";
        worker["resources"]!["limits"]!["cpu"] = "1";
        worker["resources"]!["limits"]!["memory"] = "512Mi";
        containers.Insert(0, JsonNode.Parse("""{"name":"mesh-proxy","image":"proxy:2"}"""));
        live["status"] = JsonNode.Parse("""{"replicas":2,"readyReplicas":1}""");
        edit?.Invoke(live);
        return live;
    }

    private static FieldsFingerprint? OfLive(JsonObject live)
    {
        using var document = JsonDocument.Parse(live.ToJsonString());
        return AppliedFieldsFingerprint.OfLive(document.RootElement, Manager);
    }

    private static FieldsFingerprint OfDesired() => AppliedFieldsFingerprint.OfDesired(JsonNode.Parse(Desired)!.AsObject());

    [Test]
    public void AFingerprintIsTheFirstSixteenBytesOfTheHashAndPrintsAsTheirHexDigits()
    {
        var hash = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var fingerprint = FieldsFingerprint.From(hash);
        Assert.Multiple(() =>
        {
            Assert.That(fingerprint.ToString(), Is.EqualTo(Convert.ToHexStringLower(hash[..16])));
            Assert.That(fingerprint, Is.EqualTo(FieldsFingerprint.From(hash[..16])));
            Assert.That(fingerprint, Is.Not.EqualTo(FieldsFingerprint.From([.. hash[..15], 0])));
            Assert.That(() => FieldsFingerprint.From(hash[..15]), Throws.ArgumentException);
        });
    }

    [Test]
    public void AnUntouchedObjectMatchesWhatWasAppliedDespiteDefaultsOtherManagersSidecarsAndCanonicalQuantities() =>
        Assert.That(OfLive(Live()), Is.EqualTo(OfDesired()));

    [Test]
    public void KeyOrderAndFractionalZerosDoNotMatter()
    {
        var reordered = JsonNode.Parse(Desired)!.AsObject();
        var spec = reordered["spec"]!.AsObject();
        spec.Remove("replicas");
        spec["replicas"] = JsonValue.Create(2.0m);
        Assert.That(AppliedFieldsFingerprint.OfDesired(reordered), Is.EqualTo(OfDesired()));
    }

    [Test]
    public void AnOwnedFieldWithAnotherValueDiffers() =>
        Assert.That(OfLive(Live(l => l["spec"]!["template"]!["spec"]!["containers"]![1]!["image"] = "celery:2")), Is.Not.EqualTo(OfDesired()));

    [Test]
    public void AFieldTakenOverByAnotherManagerLeavesTheSetAndDiffers()
    {
        // kubectl edit of the image: the Update takes ownership, so the image leaves the operator's set.
        var fields = FieldsV1.Replace("\"f:image\": {}, ", "", StringComparison.Ordinal);
        Assert.That(OfLive(Live(l => l["spec"]!["template"]!["spec"]!["containers"]![1]!["image"] = "celery:edited", fields)), Is.Not.EqualTo(OfDesired()));
    }

    [Test]
    public void AFieldNoLongerDesiredButStillAppliedDiffers()
    {
        var desired = JsonNode.Parse(Desired)!.AsObject();
        desired["spec"]!.AsObject().Remove("replicas");
        Assert.That(OfLive(Live()), Is.Not.EqualTo(AppliedFieldsFingerprint.OfDesired(desired)));
    }

    [Test]
    public void AnAtomicListIsComparedWhole() =>
        Assert.That(OfLive(Live(l => l["spec"]!["template"]!["spec"]!["containers"]![1]!["args"]!.AsArray().Add("extra"))), Is.Not.EqualTo(OfDesired()));

    [Test]
    [CancelAfter(10_000)]
    public void DigestsThatLookLikeQuantitiesWithHugeExponentsAreHashedAsText()
    {
        // A hex digest such as an applied-configuration hash can read as 12 x 10^345678901.
        var desired = JsonNode.Parse(Desired)!.AsObject();
        desired["metadata"]!["annotations"]!["hash"] = "12e345678901";
        var other = JsonNode.Parse(Desired)!.AsObject();
        other["metadata"]!["annotations"]!["hash"] = "12e345678902";
        Assert.That(AppliedFieldsFingerprint.OfDesired(desired), Is.Not.EqualTo(AppliedFieldsFingerprint.OfDesired(other)));
    }

    [Test]
    public void AnObjectNeverAppliedByTheManagerHasNoFingerprint()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OfLive(Live(manager: "someone-else")), Is.Null);
            Assert.That(OfLive(Live(l => l["metadata"]!.AsObject().Remove("managedFields"))), Is.Null);
        });
    }
}
