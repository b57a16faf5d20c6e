// What kube-apiserver's conversion, defaulting and registry strategies do to built-in objects before they are stored,
// beyond what the schemas' defaults express:
// - Secrets: stringData is merged into data (base64 of its UTF-8 text, overriding the same key) and dropped.
// - ConfigMaps and Secrets: a null data value is stored as "" (Go's map[string]string has no null).
// - Namespaces: the immutable label kubernetes.io/metadata.name equals the name.
// - Services (not ExternalName): a cluster IP from the configured range (or the one asked for, or None for
//   headless) in clusterIP and clusterIPs, kept across updates that leave it out; ipFamilies [IPv4],
//   ipFamilyPolicy SingleStack, internalTrafficPolicy Cluster; externalTrafficPolicy Cluster for NodePort and
//   LoadBalancer; status.loadBalancer {}.
// - Pod templates of workload kinds: metadata.creationTimestamp null (a zero metav1.Time serialized), see
//   MarkPodTemplates, which runs after managedFields are recorded, as the real server never counts it as a field.
using System.Text;
using System.Text.Json.Nodes;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Api;

/// <summary>Server-side shaping of built-in objects.</summary>
public sealed class BuiltInObjectShapes(ClusterIpAllocator clusterIps)
{
    /// <summary>The allocator Services take their cluster IPs from.</summary>
    public ClusterIpAllocator ClusterIps => clusterIps;

    public void Apply(ResourceType type, JsonObject? before, JsonObject after)
    {
        if (type.Group.Length != 0)
        {
            return;
        }

        switch (type.Resource)
        {
            case "secrets":
                MergeStringData(after);
                NullValuesToEmpty(after["data"]);
                break;
            case "configmaps":
                NullValuesToEmpty(after["data"]);
                break;
            case "namespaces":
                var metadata = ObjectMetadata.Of(after);
                var labels = metadata["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = metadata["name"]?.DeepClone();
                metadata["labels"] = labels;
                break;
            case "services":
                ShapeService(type, before, after);
                break;
            default:
                break;
        }
    }

    /// <summary>Sets <c>metadata.creationTimestamp: null</c> on the pod templates of workload kinds.</summary>
    public static void MarkPodTemplates(ResourceType type, JsonObject obj)
    {
        var template = (type.Group, type.Resource) switch
        {
            ("apps", "deployments" or "replicasets" or "statefulsets" or "daemonsets") or ("batch", "jobs") or ("", "replicationcontrollers")
                => obj["spec"]?["template"],
            ("batch", "cronjobs") => obj["spec"]?["jobTemplate"]?["spec"]?["template"],
            _ => null,
        };
        if (template is JsonObject podTemplate)
        {
            var metadata = podTemplate["metadata"] as JsonObject ?? [];
            podTemplate["metadata"] = metadata;
            if (!metadata.ContainsKey("creationTimestamp"))
            {
                metadata["creationTimestamp"] = null;
            }
        }
    }

    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }

        var data = secret["data"] as JsonObject ?? [];
        foreach (var (key, value) in stringData)
        {
            var text = value is JsonValue scalar && scalar.TryGetValue<string>(out var s) ? s : string.Empty;
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }

        secret["data"] = data;
        secret.Remove("stringData");
    }

    private static void NullValuesToEmpty(JsonNode? map)
    {
        if (map is not JsonObject entries)
        {
            return;
        }

        foreach (var key in entries.Where(pair => pair.Value is null).Select(pair => pair.Key).ToList())
        {
            entries[key] = string.Empty;
        }
    }

    private void ShapeService(ResourceType type, JsonObject? before, JsonObject after)
    {
        var spec = after["spec"] as JsonObject ?? [];
        after["spec"] = spec;
        var serviceType = spec["type"]?.GetValue<string>() ?? "ClusterIP";
        if (serviceType != "ExternalName")
        {
            AssignClusterIp(type, before, after, spec);
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        if (serviceType is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        if (serviceType == "LoadBalancer")
        {
            spec["allocateLoadBalancerNodePorts"] ??= true;
        }

        after["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    private void AssignClusterIp(ResourceType type, JsonObject? before, JsonObject after, JsonObject spec)
    {
        var requested = Text(spec["clusterIP"]) ?? Text(spec["clusterIPs"]?[0]);
        var previous = Text(before?["spec"]?["clusterIP"]);
        if (string.IsNullOrEmpty(requested) && previous is not null)
        {
            requested = previous;
        }

        string ip;
        if (string.IsNullOrEmpty(requested))
        {
            ip = clusterIps.Allocate();
        }
        else if (requested == "None" || requested == previous)
        {
            ip = requested;
        }
        else if (clusterIps.TryAllocate(requested) is { } problem)
        {
            throw ApiException.Invalid(type, ObjectMetadata.Name(after) ?? string.Empty,
                [new StatusCause("FieldValueInvalid", $"Invalid value: []string{{\"{requested}\"}}: {problem}", "spec.clusterIPs")]);
        }
        else
        {
            ip = requested;
        }

        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
