// The ceiling: what the API allows for the same work with no controller logic. For one resource it sends the
// writes the operator has to send (the children the operator's own builders render, server-side applied with the
// same field manager, hash annotation and client, then one status write) and nothing else: no cache, no reads,
// no comparison, no queue.
using System.Text.Json.Nodes;
using k8s;
using Operator.Celery.Builders;
using Operator.Celery.Model;
using Operator.Celery.Reconciliation;
using Operator.Runtime.Apply;
using Operator.Runtime.Source;

namespace Operator.Benchmarks;

/// <summary>Sends one resource's child writes and its status write.</summary>
public sealed class CeilingClient(ServerSideApplyClient client, CeleryWorkload workload)
{
    private static readonly Dictionary<string, ResourceDescriptor> ByKind = new[]
    {
        CeleryApiResources.Secrets, CeleryApiResources.Deployments, CeleryApiResources.Services, CeleryApiResources.Ingresses,
        CeleryApiResources.DisruptionBudgets, CeleryApiResources.HorizontalPodAutoscalers, CeleryApiResources.ScaledObjects,
        CeleryApiResources.TriggerAuthentications,
    }.ToDictionary(r => r.Kind, StringComparer.Ordinal);

    /// <summary>Applies every child, then marks the resource Ready; returns the number of writes.</summary>
    public async Task<int> WriteAsync(CeleryResource resource, CancellationToken cancellationToken)
    {
        var children = workload.RenderChildren(resource);
        foreach (var child in children)
        {
            var desired = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(child))!;
            AppliedConfigurationHash.Stamp(desired, CeleryLabels.AppliedHashAnnotation);
            await client.ApplyAsync(ByKind[child.Kind], desired, cancellationToken).ConfigureAwait(false);
        }

        var status = new JsonObject
        {
            ["apiVersion"] = CeleryResource.ApiVersionValue,
            ["kind"] = CeleryResource.KindValue,
            ["metadata"] = new JsonObject { ["name"] = resource.Metadata.Name, ["namespace"] = resource.Metadata.NamespaceProperty },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = resource.Metadata.Generation,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = CeleryConditions.Ready,
                    ["status"] = "True",
                    ["reason"] = CeleryConditions.Reasons.AllChildrenReady,
                    ["message"] = "ceiling",
                    ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        };
        await client.ApplyStatusAsync(CeleryApiResources.Celery, status, cancellationToken).ConfigureAwait(false);
        return children.Count + 1;
    }
}
