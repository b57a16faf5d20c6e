// What kube-apiserver's apps/v1 Deployment registry strategy does beyond the generic rules (ObjectAdmission):
// - an update bumps metadata.generation when the spec OR the annotations change (annotations are copied from a
//   Deployment to its ReplicaSets, so the controller must see them as a new generation);
// - an update of /status resets only spec and labels: annotations written there are kept (this is how the Deployment
//   controller records deployment.kubernetes.io/revision without bumping the generation).
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Api;

/// <summary>The Deployment-specific parts of admission.</summary>
internal static class DeploymentStrategy
{
    public static bool Applies(ResourceType type) => type.Group == "apps" && type.Kind == "Deployment";

    /// <summary>Whether a Deployment's annotations differ between two versions (a reason for a new generation).</summary>
    public static bool AnnotationsChanged(ResourceType type, JsonObject before, JsonObject after) =>
        Applies(type) && !JsonNode.DeepEquals(Annotations(before), Annotations(after));

    /// <summary>After a /status write was scoped to status, carries the annotations the write sent over (Deployments only).</summary>
    public static void KeepStatusAnnotations(ResourceType type, JsonObject sent, JsonObject scoped)
    {
        if (!Applies(type) || scoped["metadata"] is not JsonObject metadata)
        {
            return;
        }

        if (Annotations(sent) is { } annotations)
        {
            metadata["annotations"] = annotations.DeepClone();
        }
        else
        {
            metadata.Remove("annotations");
        }
    }

    private static JsonObject? Annotations(JsonObject obj) => obj["metadata"]?["annotations"] is JsonObject { Count: > 0 } annotations ? annotations : null;
}
