// Writes a Celery resource's status through the /status subresource with server-side apply, and only when it
// differs from what the resource already reports: a steady resource costs no status writes either.
using System.Text.Json.Nodes;
using k8s;
using Operator.Celery.Model;
using Operator.Runtime.Apply;

namespace Operator.Celery.Reconciliation;

/// <summary>Writes status when it changed.</summary>
public sealed class StatusWriter(ServerSideApplyClient client)
{
    /// <returns>True when a write was sent.</returns>
    public async Task<bool> WriteIfChangedAsync(CeleryResource resource, CeleryStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var next = JsonNode.Parse(KubernetesJson.Serialize(status));
        var current = resource.Status is null ? null : JsonNode.Parse(KubernetesJson.Serialize(resource.Status));
        if (JsonNode.DeepEquals(next, current))
        {
            return false;
        }

        var patch = new JsonObject
        {
            ["apiVersion"] = CeleryResource.ApiVersionValue,
            ["kind"] = CeleryResource.KindValue,
            ["metadata"] = new JsonObject { ["name"] = resource.Metadata.Name, ["namespace"] = resource.Metadata.NamespaceProperty },
            ["status"] = next,
        };
        await client.ApplyStatusAsync(CeleryApiResources.Celery, patch, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
