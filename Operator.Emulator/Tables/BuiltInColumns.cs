// Columns kube-apiserver prints for the built-in kinds the emulator serves (NAME first, AGE where the real one has it).
using System.Text.Json.Nodes;

using Operator.Emulator.Schema;

namespace Operator.Emulator.Tables;

/// <summary>Printer columns of built-in kinds.</summary>
public static class BuiltInColumns
{
    private static readonly PrinterColumn Name = new("Name", "string",
        "Name must be unique within a namespace.", 0, obj => obj["metadata"]?["name"]?.DeepClone(), "name");

    public static IReadOnlyList<PrinterColumn> Default { get; } = [Name, PrinterColumn.Age];

    public static IReadOnlyList<PrinterColumn> Namespaces { get; } =
        [Name, PrinterColumn.FromJsonPath("Status", "string", ".status.phase"), PrinterColumn.Age];

    public static IReadOnlyList<PrinterColumn> ConfigMaps { get; } =
        [Name, new("Data", "string", "Number of keys.", 0, obj => JsonValue.Create(Count(obj["data"]) + Count(obj["binaryData"]))), PrinterColumn.Age];

    public static IReadOnlyList<PrinterColumn> Secrets { get; } =
        [Name, PrinterColumn.FromJsonPath("Type", "string", ".type"), new("Data", "string", "Number of keys.", 0, obj => JsonValue.Create(Count(obj["data"]))), PrinterColumn.Age];

    public static IReadOnlyList<PrinterColumn> ServiceAccounts { get; } =
        [Name, new("Secrets", "string", "Number of secrets.", 0, obj => JsonValue.Create(Count(obj["secrets"]))), PrinterColumn.Age];

    public static IReadOnlyList<PrinterColumn> Services { get; } =
    [
        Name,
        PrinterColumn.FromJsonPath("Type", "string", ".spec.type"),
        new("Cluster-IP", "string", "Cluster IP.", 0, obj => Text(obj["spec"]?["clusterIP"], "<none>")),
        new("External-IP", "string", "External IPs.", 0, obj => JsonValue.Create(Joined(obj["spec"]?["externalIPs"]) is { Length: > 0 } ips ? ips : "<none>")),
        new("Port(s)", "string", "Ports.", 0, obj => JsonValue.Create(Ports(obj["spec"]?["ports"] as JsonArray))),
        PrinterColumn.Age,
        new("Selector", "string", "Selector.", 1, obj => JsonValue.Create(Pairs(obj["spec"]?["selector"] as JsonObject))),
    ];

    public static IReadOnlyList<PrinterColumn> Pods { get; } =
    [
        Name,
        new("Ready", "string", "Ready containers.", 0, obj => JsonValue.Create(PodReady(obj))),
        PrinterColumn.FromJsonPath("Status", "string", ".status.phase"),
        new("Restarts", "string", "Restarts.", 0, obj => JsonValue.Create((obj["status"]?["containerStatuses"] as JsonArray)?.Sum(status => (JsonNumber.TryRead(status?["restartCount"], out var restarts) ? (int)restarts : 0)) ?? 0)),
        PrinterColumn.Age,
    ];

    public static IReadOnlyList<PrinterColumn> Deployments { get; } =
    [
        Name,
        new("Ready", "string", "Number of ready replicas out of desired.", 0,
            obj => JsonValue.Create($"{Int(obj["status"]?["readyReplicas"])}/{Int(obj["spec"]?["replicas"])}")),
        new("Up-to-date", "integer", "Total number of updated replicas.", 0, obj => JsonValue.Create(Int(obj["status"]?["updatedReplicas"]))),
        new("Available", "integer", "Total number of available replicas.", 0, obj => JsonValue.Create(Int(obj["status"]?["availableReplicas"]))),
        PrinterColumn.Age,
        PrinterColumn.FromJsonPath("Containers", "string", ".spec.template.spec.containers[*].name", priority: 1),
        PrinterColumn.FromJsonPath("Images", "string", ".spec.template.spec.containers[*].image", priority: 1),
        new("Selector", "string", "Selector.", 1, obj => JsonValue.Create(Pairs(obj["spec"]?["selector"]?["matchLabels"] as JsonObject))),
    ];

    public static IReadOnlyList<PrinterColumn> ReplicaSets { get; } =
    [
        Name,
        new("Desired", "integer", "Number of desired pods.", 0, obj => JsonValue.Create(Int(obj["spec"]?["replicas"], 1))),
        new("Current", "integer", "Number of actual replicas.", 0, obj => JsonValue.Create(Int(obj["status"]?["replicas"]))),
        new("Ready", "integer", "Number of ready replicas.", 0, obj => JsonValue.Create(Int(obj["status"]?["readyReplicas"]))),
        PrinterColumn.Age,
        PrinterColumn.FromJsonPath("Containers", "string", ".spec.template.spec.containers[*].name", priority: 1),
        PrinterColumn.FromJsonPath("Images", "string", ".spec.template.spec.containers[*].image", priority: 1),
        new("Selector", "string", "Selector.", 1, obj => JsonValue.Create(Pairs(obj["spec"]?["selector"]?["matchLabels"] as JsonObject))),
    ];

    public static IReadOnlyList<PrinterColumn> Jobs { get; } =
    [
        Name,
        new("Completions", "string", "The number of succeeded pods out of the desired completions.", 0,
            obj => JsonValue.Create($"{Int(obj["status"]?["succeeded"])}/{Int(obj["spec"]?["completions"], 1)}")),
        PrinterColumn.Age,
    ];

    public static IReadOnlyList<PrinterColumn> Endpoints { get; } =
    [
        Name,
        new("Endpoints", "string", "Endpoints.", 0, obj => JsonValue.Create(EndpointAddresses(obj["subsets"] as JsonArray))),
        PrinterColumn.Age,
    ];

    public static IReadOnlyList<PrinterColumn> EndpointSlices { get; } =
    [
        Name,
        PrinterColumn.FromJsonPath("AddressType", "string", ".addressType"),
        new("Ports", "string", "Ports.", 0, obj => JsonValue.Create(Joined(new JsonArray([.. (obj["ports"] as JsonArray ?? []).Select(port => port?["port"]?.DeepClone())])) is { Length: > 0 } ports ? ports : "<unset>")),
        new("Endpoints", "string", "Endpoints.", 0, obj => JsonValue.Create(Joined(new JsonArray([.. (obj["endpoints"] as JsonArray ?? []).SelectMany(e => e?["addresses"] as JsonArray ?? []).Select(a => a?.DeepClone())])) is { Length: > 0 } addresses ? addresses : "<unset>")),
        PrinterColumn.Age,
    ];

    public static IReadOnlyList<PrinterColumn> HorizontalPodAutoscalers { get; } =
    [
        Name,
        new("Reference", "string", "Scale target.", 0, obj => JsonValue.Create($"{Text(obj["spec"]?["scaleTargetRef"]?["kind"], "")}/{Text(obj["spec"]?["scaleTargetRef"]?["name"], "")}")),
        new("MinPods", "integer", "Minimum replicas.", 0, obj => JsonValue.Create(Int(obj["spec"]?["minReplicas"], 1))),
        PrinterColumn.FromJsonPath("MaxPods", "integer", ".spec.maxReplicas"),
        new("Replicas", "integer", "Current replicas.", 0, obj => JsonValue.Create(Int(obj["status"]?["currentReplicas"]))),
        PrinterColumn.Age,
    ];

    public static IReadOnlyList<PrinterColumn> Ingresses { get; } =
    [
        Name,
        new("Class", "string", "Ingress class.", 0, obj => Text(obj["spec"]?["ingressClassName"], "<none>")),
        new("Hosts", "string", "Hosts.", 0, obj => JsonValue.Create(string.Join(",", (obj["spec"]?["rules"] as JsonArray ?? []).Select(rule => JsonPathExpression.Render(rule?["host"])).Where(host => host.Length > 0).DefaultIfEmpty("*")))),
        new("Address", "string", "Load balancer address.", 0, obj => JsonValue.Create(string.Join(",", (obj["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? []).Select(entry => JsonPathExpression.Render(entry?["ip"] ?? entry?["hostname"]))))),
        new("Ports", "string", "Ports.", 0, obj => JsonValue.Create(obj["spec"]?["tls"] is JsonArray { Count: > 0 } ? "80, 443" : "80")),
        PrinterColumn.Age,
    ];

    /// <summary>kubectl's claim columns; access modes abbreviated as kubectl prints them.</summary>
    public static IReadOnlyList<PrinterColumn> PersistentVolumeClaims { get; } =
    [
        Name,
        PrinterColumn.FromJsonPath("Status", "string", ".status.phase"),
        PrinterColumn.FromJsonPath("Volume", "string", ".spec.volumeName"),
        new("Capacity", "string", "Capacity of the bound volume.", 0, obj => Text(obj["status"]?["capacity"]?["storage"], "")),
        new("Access Modes", "string", "Access modes of the bound volume.", 0, obj => JsonValue.Create(string.Join(",", (obj["status"]?["accessModes"] as JsonArray ?? []).Select(mode => AccessModeAbbreviation(JsonPathExpression.Render(mode)))))),
        PrinterColumn.FromJsonPath("StorageClass", "string", ".spec.storageClassName"),
        PrinterColumn.FromJsonPath("VolumeAttributesClass", "string", ".spec.volumeAttributesClassName"),
        PrinterColumn.Age,
        PrinterColumn.FromJsonPath("VolumeMode", "string", ".spec.volumeMode", 1),
    ];

    public static IReadOnlyList<PrinterColumn> PodDisruptionBudgets { get; } =
    [
        Name,
        new("Min Available", "string", "Minimum available.", 0, obj => Text(obj["spec"]?["minAvailable"], "N/A")),
        new("Max Unavailable", "string", "Maximum unavailable.", 0, obj => Text(obj["spec"]?["maxUnavailable"], "N/A")),
        new("Allowed Disruptions", "integer", "Allowed disruptions.", 0, obj => JsonValue.Create(Int(obj["status"]?["disruptionsAllowed"]))),
        PrinterColumn.Age,
    ];

    public static IReadOnlyList<PrinterColumn> Events { get; } =
    [
        new("Last Seen", "date", "Time of the last occurrence.", 0, obj => (obj["lastTimestamp"] ?? obj["deprecatedLastTimestamp"] ?? obj["eventTime"] ?? obj["metadata"]?["creationTimestamp"])?.DeepClone()),
        PrinterColumn.FromJsonPath("Type", "string", ".type"),
        PrinterColumn.FromJsonPath("Reason", "string", ".reason"),
        new("Object", "string", "The object this event is about.", 0, obj =>
        {
            var regarding = obj["involvedObject"] ?? obj["regarding"];
            return JsonValue.Create($"{JsonPathExpression.Render(regarding?["kind"]).ToLowerInvariant()}/{JsonPathExpression.Render(regarding?["name"])}");
        }),
        new("Message", "string", "Message.", 0, obj => (obj["message"] ?? obj["note"])?.DeepClone()),
        Name with { Priority = 1 },
    ];

    public static IReadOnlyList<PrinterColumn> Leases { get; } =
        [Name, PrinterColumn.FromJsonPath("Holder", "string", ".spec.holderIdentity"), PrinterColumn.Age];

    /// <summary>NetworkPolicies: NAME, POD-SELECTOR (matchLabels as key=value,...), AGE.</summary>
    public static IReadOnlyList<PrinterColumn> NetworkPolicies { get; } =
    [
        Name,
        new("Pod-Selector", "string", "Pods the policy applies to.", 0, obj => JsonValue.Create(
            (obj["spec"]?["podSelector"]?["matchLabels"] as JsonObject)?.Select(pair => $"{pair.Key}={pair.Value}") is { } labels && labels.Any()
                ? string.Join(",", labels)
                : "<none>")),
        PrinterColumn.Age,
    ];

    /// <summary>Roles and ClusterRoles: NAME, CREATED AT.</summary>
    public static IReadOnlyList<PrinterColumn> Roles { get; } =
        [Name, PrinterColumn.FromJsonPath("Created At", "string", ".metadata.creationTimestamp")];

    /// <summary>RoleBindings and ClusterRoleBindings: NAME, ROLE ("Kind/name"), AGE.</summary>
    public static IReadOnlyList<PrinterColumn> RoleBindings { get; } =
    [
        Name,
        new("Role", "string", "Role to which this binding refers.", 0,
            obj => JsonValue.Create($"{Text(obj["roleRef"]?["kind"], "")}/{Text(obj["roleRef"]?["name"], "")}")),
        PrinterColumn.Age,
    ];

    public static IReadOnlyList<PrinterColumn> CustomResourceDefinitions { get; } =
        [Name, PrinterColumn.FromJsonPath("Created At", "string", ".metadata.creationTimestamp")];

    /// <summary>The columns of a custom resource: NAME, then the CRD's columns (AGE when it declares none).</summary>
    public static IReadOnlyList<PrinterColumn> ForCustomResource(IEnumerable<PrinterColumn> declared)
    {
        var columns = declared.ToList();
        return [Name, .. columns.Count == 0 ? [PrinterColumn.Age] : columns];
    }

    private static int Count(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Count,
        JsonArray array => array.Count,
        _ => 0,
    };

    private static string AccessModeAbbreviation(string mode) => mode switch
    {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        _ => mode,
    };

    /// <summary>ip:port pairs of an Endpoints' subsets, as kubectl prints them.</summary>
    private static string EndpointAddresses(JsonArray? subsets)
    {
        var pairs = (subsets ?? []).SelectMany(subset => (subset?["addresses"] as JsonArray ?? []).SelectMany(address =>
            (subset!["ports"] as JsonArray ?? []).Select(port => $"{address?["ip"]}:{port?["port"]}"))).ToList();
        return pairs.Count == 0 ? "<none>" : string.Join(",", pairs);
    }

    private static long Int(JsonNode? node, long fallback = 0) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? number : fallback;

    private static JsonValue Text(JsonNode? node, string fallback) =>
        JsonValue.Create(node is null ? fallback : JsonPathExpression.Render(node));

    private static string Joined(JsonNode? node) =>
        node is JsonArray array ? string.Join(",", array.Select(JsonPathExpression.Render)) : string.Empty;

    private static string Pairs(JsonObject? map) =>
        map is null || map.Count == 0 ? "<none>" : string.Join(",", map.Select(pair => $"{pair.Key}={JsonPathExpression.Render(pair.Value)}"));

    private static string Ports(JsonArray? ports)
    {
        if (ports is null || ports.Count == 0)
        {
            return "<none>";
        }

        return string.Join(",", ports.Select(port =>
        {
            var text = JsonPathExpression.Render(port?["port"]);
            if (port?["nodePort"] is { } nodePort)
            {
                text += ":" + JsonPathExpression.Render(nodePort);
            }

            return $"{text}/{(port?["protocol"] is { } protocol ? JsonPathExpression.Render(protocol) : "TCP")}";
        }));
    }

    private static string PodReady(JsonObject obj)
    {
        var total = (obj["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = (obj["status"]?["containerStatuses"] as JsonArray)?.Count(status => status?["ready"]?.GetValue<bool>() == true) ?? 0;
        return $"{ready}/{total}";
    }
}
