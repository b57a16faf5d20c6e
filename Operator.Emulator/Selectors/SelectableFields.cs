// The fields kube-apiserver lets a field selector name, per kind (its field label conversion functions): every kind
// takes metadata.name and metadata.namespace; the kinds below take a few more. Anything else is a 400
// "field label not supported". A CRD's selectableFields (Kubernetes 1.31+) are not read: custom resources take
// only the two metadata fields.
using Operator.Emulator.Api;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Selectors;

internal static class SelectableFields
{
    private static readonly string[] EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
    ];

    private static readonly Dictionary<(string Group, string Resource), HashSet<string>> ByKind = new()
    {
        [("", "pods")] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"],
        [("", "events")] = [.. EventFields],
        [("events.k8s.io", "events")] = [.. EventFields],
        [("", "secrets")] = ["type"],
        [("", "namespaces")] = ["status.phase"],
        [("", "replicationcontrollers")] = ["status.replicas"],
        [("apps", "replicasets")] = ["status.replicas"],
        [("batch", "jobs")] = ["status.successful"],
    };

    /// <exception cref="ApiException">400 naming the first field the kind does not support.</exception>
    public static void Require(ResourceType type, FieldSelector selector)
    {
        foreach (var path in selector.Paths)
        {
            if (path is "metadata.name" or "metadata.namespace")
            {
                continue;
            }

            if (type.IsCustom || !ByKind.TryGetValue((type.Group, type.Resource), out var supported) || !supported.Contains(path))
            {
                throw ApiException.BadRequest($"field label not supported: {path}");
            }
        }
    }
}
