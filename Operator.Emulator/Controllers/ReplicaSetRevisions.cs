// How the simulated Deployment controller maps a Deployment onto ReplicaSets, as kube-controller-manager does:
// - the "new" ReplicaSet is the owned one whose pod template, without its pod-template-hash label, equals the
//   Deployment's; if none exists one is made, named {deployment}-{hash}, the hash also added as the
//   pod-template-hash label to its selector, template and own labels;
// - revisions: the new ReplicaSet's deployment.kubernetes.io/revision is one more than the highest of the others
//   (so a rollback to an old template re-uses that ReplicaSet and gives it the next revision, remembering the old one
//   in deployment.kubernetes.io/revision-history); the Deployment carries its new ReplicaSet's revision;
// - every old ReplicaSet is scaled to 0; beyond revisionHistoryLimit (default 10) the oldest scaled-down ones go.
// The hash is the emulator's own (FNV-1a of the template's canonical JSON): stable per template, not
// kube-controller-manager's value.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Controllers;

/// <summary>ReplicaSet naming, matching and revision bookkeeping of a Deployment.</summary>
internal static class ReplicaSetRevisions
{
    public const string HashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    public const int DefaultRevisionHistoryLimit = 10;

    /// <summary>Annotations of a Deployment never copied onto its ReplicaSets.</summary>
    private static readonly string[] NotCopied = [RevisionAnnotation, RevisionHistoryAnnotation, DesiredReplicasAnnotation, MaxReplicasAnnotation,
        "kubectl.kubernetes.io/last-applied-configuration"];

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The pod-template-hash of a template: letters and digits that cannot spell words, as Kubernetes' are.</summary>
    public static string Hash(JsonNode? template)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template)))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        var text = new StringBuilder();
        do
        {
            text.Append(SafeAlphabet[(int)(hash % (uint)SafeAlphabet.Length)]);
            hash /= (uint)SafeAlphabet.Length;
        }
        while (hash > 0);
        return text.ToString();
    }

    /// <summary>Whether a ReplicaSet runs the Deployment's current template (its own hash label aside).</summary>
    public static bool RunsTemplate(JsonObject replicaSet, JsonNode? template)
    {
        var own = replicaSet["spec"]?["template"]?.DeepClone();
        (own?["metadata"]?["labels"] as JsonObject)?.Remove(HashLabel);
        if (own?["metadata"]?["labels"] is JsonObject { Count: 0 } && template?["metadata"]?["labels"] is null)
        {
            own["metadata"]!.AsObject().Remove("labels");
        }

        return Canonical(own) == Canonical(template);
    }

    public static long Revision(JsonObject obj) =>
        long.TryParse(obj["metadata"]?["annotations"]?[RevisionAnnotation]?.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision) ? revision : 0;

    public static void SetAnnotation(JsonObject obj, string key, string value)
    {
        var metadata = obj["metadata"]!.AsObject();
        var annotations = metadata["annotations"] as JsonObject ?? [];
        annotations[key] = value;
        metadata["annotations"] = annotations;
    }

    /// <summary>A new ReplicaSet for the Deployment's current template, owned by it (controller reference).</summary>
    public static JsonObject NewReplicaSet(JsonObject deployment, long revision, long replicas, long maxReplicas)
    {
        var metadata = deployment["metadata"]!;
        var template = deployment["spec"]!["template"]!.DeepClone().AsObject();
        var hash = Hash(deployment["spec"]!["template"]);
        var templateMetadata = template["metadata"] as JsonObject ?? [];
        var templateLabels = templateMetadata["labels"]?.DeepClone() as JsonObject ?? [];
        templateLabels[HashLabel] = hash;
        templateMetadata["labels"] = templateLabels;
        template["metadata"] = templateMetadata;
        var selector = deployment["spec"]!["selector"]?.DeepClone() as JsonObject ?? [];
        var matchLabels = selector["matchLabels"] as JsonObject ?? [];
        matchLabels[HashLabel] = hash;
        selector["matchLabels"] = matchLabels;
        var annotations = new JsonObject();
        foreach (var (key, value) in metadata["annotations"] as JsonObject ?? [])
        {
            if (!NotCopied.Contains(key, StringComparer.Ordinal))
            {
                annotations[key] = value?.DeepClone();
            }
        }

        annotations[DesiredReplicasAnnotation] = replicas.ToString(CultureInfo.InvariantCulture);
        annotations[MaxReplicasAnnotation] = maxReplicas.ToString(CultureInfo.InvariantCulture);
        annotations[RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture);
        var spec = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = template };
        if (deployment["spec"]!["minReadySeconds"] is { } minReady)
        {
            spec["minReadySeconds"] = minReady.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{metadata["name"]}-{hash}",
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["labels"] = templateLabels.DeepClone(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = metadata["name"]?.DeepClone(),
                    ["uid"] = metadata["uid"]?.DeepClone(),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>Whether a ReplicaSet's controller is this Deployment.</summary>
    public static bool OwnedBy(JsonObject replicaSet, string deploymentUid) =>
        (replicaSet["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Any(owner =>
            owner["uid"]?.GetValue<string>() == deploymentUid && owner["controller"] is JsonValue controller && controller.TryGetValue<bool>(out var isController) && isController);

    /// <summary>JSON with object keys sorted, so equal content gives equal text.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"\"{pair.Key}\":{Canonical(pair.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        _ => node.ToJsonString(),
    };
}
