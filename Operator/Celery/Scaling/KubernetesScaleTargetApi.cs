// The builtin scaler's API calls, with KubernetesClient: HorizontalPodAutoscalers (autoscaling/v2) and ScaledObjects
// listed per namespace, each pass (no informer: the scaler must see autoscalers it does not own, and a list per
// namespace with builtin groups per interval costs less than caching every HPA of the cluster), and a merge patch of
// the Deployment's scale subresource under its own field manager, so the Deployment's managedFields say who set the
// count. A ScaledObject's scaleTargetRef without a kind means a Deployment, as KEDA reads it.
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Operator.Celery.Reconciliation;
using Operator.Keda;
using Operator.Runtime.Discovery;

namespace Operator.Celery.Scaling;

/// <summary>The scale target API on a live cluster.</summary>
public sealed class KubernetesScaleTargetApi(Kubernetes kubernetes, ApiDiscovery discovery) : IScaleTargetApi
{
    /// <summary>The field manager of the scaler's writes to a Deployment's spec.replicas.</summary>
    public const string FieldManager = "celery-operator-scaler";

    public async Task<IReadOnlyDictionary<string, string>> ClaimedDeploymentsAsync(string @namespace, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        var autoscalers = await kubernetes.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var hpa in autoscalers.Items)
        {
            if (hpa.Spec?.ScaleTargetRef is { Kind: "Deployment" } target && IsApps(target.ApiVersion))
            {
                claimed.TryAdd(target.Name, $"HorizontalPodAutoscaler/{hpa.Metadata.Name}");
            }
        }

        if (await discovery.IsServedAsync(CeleryApiResources.ScaledObjects, cancellationToken).ConfigureAwait(false))
        {
            var list = await kubernetes.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                ScaledObject.Group, ScaledObject.Version, @namespace, ScaledObject.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            var items = list.TryGetProperty("items", out var found) && found.ValueKind == JsonValueKind.Array ? [.. found.EnumerateArray()] : Array.Empty<JsonElement>();
            foreach (var item in items)
            {
                if (item.TryGetProperty("spec", out var spec) && spec.TryGetProperty("scaleTargetRef", out var target)
                    && Text(target, "name") is { } name
                    && (Text(target, "kind") ?? "Deployment") == "Deployment" && IsApps(Text(target, "apiVersion")))
                {
                    claimed.TryAdd(name, $"ScaledObject/{Text(item.GetProperty("metadata"), "name")}");
                }
            }
        }

        return claimed;
    }

    public Task SetReplicasAsync(string @namespace, string deployment, int replicas, CancellationToken cancellationToken) =>
        kubernetes.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch("{\"spec\":{\"replicas\":" + replicas.ToString(CultureInfo.InvariantCulture) + "}}", V1Patch.PatchType.MergePatch),
            deployment,
            @namespace,
            fieldManager: FieldManager,
            cancellationToken: cancellationToken);

    private static bool IsApps(string? apiVersion) => apiVersion is null or "" or "apps/v1";

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
