// Hand-written schemas of the built-in kinds the emulator serves. They declare what merging needs (list types and
// keys, atomic structs), the defaults kube-apiserver applies that apply semantics depend on, and the required
// fields whose absence kube-apiserver rejects. Undeclared fields of built-in structs are kept, never pruned; a
// kind's root lists every top-level field (except Events', which use OpenKind), so undeclared ones there are not.
using System.Text.Json.Nodes;
using static Operator.Emulator.Schema.SchemaShapes;

namespace Operator.Emulator.Schema;

internal static class BuiltInKindSchemas
{
    public sealed record Entry(string Group, string Version, string Kind, Func<TypeSchema> Create);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("", "v1", "Namespace", Namespace),
        new("", "v1", "Secret", Secret),
        new("", "v1", "ConfigMap", ConfigMap),
        new("", "v1", "Service", Service),
        new("", "v1", "PersistentVolumeClaim", PersistentVolumeClaim),
        new("", "v1", "Event", CoreEvent),
        new("apps", "v1", "Deployment", Deployment),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", HorizontalPodAutoscaler),
        new("networking.k8s.io", "v1", "Ingress", Ingress),
        new("networking.k8s.io", "v1", "NetworkPolicy", NetworkPolicy),
        new("policy", "v1", "PodDisruptionBudget", PodDisruptionBudget),
        new("events.k8s.io", "v1", "Event", EventsEvent),
        new("coordination.k8s.io", "v1", "Lease", Lease),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", CustomResourceDefinition),
        new("rbac.authorization.k8s.io", "v1", "Role", Role),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", ClusterRole),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", RoleBinding),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", RoleBinding),
    ];

    private static TypeSchema Namespace() => Kind(
        statusSubresource: true,
        ("spec", Struct(("finalizers", SetOf(Str())))),
        ("status", Struct(("phase", Str()), ("conditions", Conditions()))));

    private static TypeSchema Secret() => Kind(
        statusSubresource: false,
        ("data", MapOf(Str())),
        ("stringData", StringMap()),
        ("type", Str("Opaque")),
        ("immutable", Bool()));

    private static TypeSchema ConfigMap() => Kind(
        statusSubresource: false,
        ("data", StringMap()),
        ("binaryData", StringMap()),
        ("immutable", Bool()));

    private static TypeSchema Service()
    {
        var port = Struct(
                ("name", Str()),
                ("protocol", Str("TCP")),
                ("port", Int32()),
                ("targetPort", IntOrStr().DefaultingFrom(servicePort => servicePort["port"]?.DeepClone())),
                ("nodePort", Int32()),
                ("appProtocol", Str()))
            .Requiring("port");
        return Kind(
            statusSubresource: true,
            ("spec", Struct(
                ("type", OneOf("ClusterIP", "NodePort", "LoadBalancer", "ExternalName").Defaulting(JsonValue.Create("ClusterIP"))),
                ("ports", MapList(port, ["port", "protocol"], patchMergeKey: "port")),
                ("selector", new TypeSchema { Type = "object", AdditionalProperties = Str(), MapType = MapType.Atomic }),
                ("clusterIP", Str()),
                ("clusterIPs", AtomicList(Str())),
                ("externalIPs", AtomicList(Str())),
                ("sessionAffinity", Str("None")))),
            ("status", Struct(("loadBalancer", FreeForm()), ("conditions", Conditions()))));
    }

    // kube-apiserver defaults volumeMode to Filesystem and a new claim's phase to Pending; with no volume controller
    // here, a claim stays Pending (binding and provisioning are not emulated).
    private static TypeSchema PersistentVolumeClaim()
    {
        var resources = Struct(("requests", MapOf(Quantity())), ("limits", MapOf(Quantity())));
        var spec = Struct(
            ("accessModes", AtomicList(OneOf("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"))),
            ("selector", PodTemplateSchema.LabelSelector()),
            ("resources", resources),
            ("volumeName", Str()),
            ("storageClassName", Str()),
            ("volumeMode", OneOf("Filesystem", "Block").Defaulting(JsonValue.Create("Filesystem"))),
            ("dataSource", FreeForm()),
            ("dataSourceRef", FreeForm()),
            ("volumeAttributesClassName", Str()));
        var status = Struct(
                ("phase", OneOf("Pending", "Bound", "Lost").Defaulting(JsonValue.Create("Pending"))),
                ("accessModes", AtomicList(Str())),
                ("capacity", MapOf(Quantity())),
                ("conditions", Conditions()))
            .Defaulting(new JsonObject());
        return Kind(statusSubresource: true, ("spec", spec), ("status", status));
    }

    private static TypeSchema Deployment()
    {
        var rollingUpdate = Struct(("maxUnavailable", IntOrStr().Defaulting(JsonValue.Create("25%"))), ("maxSurge", IntOrStr().Defaulting(JsonValue.Create("25%"))))
            .DefaultingFrom(strategy =>
                strategy["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "RollingUpdate" ? new JsonObject() : null);
        var strategy = Struct(
                ("type", OneOf("RollingUpdate", "Recreate").Defaulting(JsonValue.Create("RollingUpdate"))),
                ("rollingUpdate", rollingUpdate))
            .Defaulting(new JsonObject());
        var spec = Struct(
                ("replicas", Int32(1)),
                ("selector", PodTemplateSchema.LabelSelector()),
                ("template", PodTemplateSchema.Create()),
                ("strategy", strategy),
                ("minReadySeconds", Int32()),
                ("revisionHistoryLimit", Int32(10)),
                ("progressDeadlineSeconds", Int32(600)),
                ("paused", Bool()))
            .Requiring("selector", "template");
        var status = Struct(
            ("observedGeneration", Int64()),
            ("replicas", Int32()),
            ("updatedReplicas", Int32()),
            ("readyReplicas", Int32()),
            ("availableReplicas", Int32()),
            ("unavailableReplicas", Int32()),
            ("conditions", Conditions()));
        return Kind(statusSubresource: true, ("spec", spec), ("status", status));
    }

    private static TypeSchema HorizontalPodAutoscaler()
    {
        var target = Struct(("apiVersion", Str()), ("kind", Str()), ("name", Str())).Requiring("kind", "name");
        var spec = Struct(
                ("scaleTargetRef", target),
                ("minReplicas", Int32(1)),
                ("maxReplicas", Int32()),
                ("metrics", AtomicList(FreeForm())),
                ("behavior", FreeForm()))
            .Requiring("scaleTargetRef", "maxReplicas");
        var status = Struct(
            ("observedGeneration", Int64()),
            ("currentReplicas", Int32()),
            ("desiredReplicas", Int32()),
            ("currentMetrics", AtomicList(FreeForm())),
            ("conditions", Conditions()));
        return Kind(statusSubresource: true, ("spec", spec), ("status", status));
    }

    private static TypeSchema Ingress() => Kind(
        statusSubresource: true,
        ("spec", Struct(
            ("ingressClassName", Str()),
            ("defaultBackend", FreeForm()),
            ("tls", AtomicList(FreeForm())),
            ("rules", AtomicList(FreeForm())))),
        ("status", Struct(("loadBalancer", FreeForm()))));

    // Ingress and egress rules are atomic lists upstream (no list type declared); podSelector is required.
    private static TypeSchema NetworkPolicy() => Kind(
        statusSubresource: false,
        ("spec", Struct(
                ("podSelector", PodTemplateSchema.LabelSelector()),
                ("policyTypes", AtomicList(OneOf("Ingress", "Egress"))),
                ("ingress", AtomicList(FreeForm())),
                ("egress", AtomicList(FreeForm())))
            .Requiring("podSelector")));

    private static TypeSchema PodDisruptionBudget() => Kind(
        statusSubresource: true,
        ("spec", Struct(
            ("minAvailable", IntOrStr()),
            ("maxUnavailable", IntOrStr()),
            ("selector", PodTemplateSchema.LabelSelector()),
            ("unhealthyPodEvictionPolicy", OneOf("IfHealthyBudget", "AlwaysAllow")))),
        ("status", Struct(
            ("observedGeneration", Int64()),
            ("currentHealthy", Int32()),
            ("desiredHealthy", Int32()),
            ("disruptionsAllowed", Int32()),
            ("expectedPods", Int32()),
            ("conditions", Conditions()))));

    private static TypeSchema Lease() => Kind(
        statusSubresource: false,
        ("spec", Struct(
            ("holderIdentity", Str()),
            ("leaseDurationSeconds", Int32()),
            ("acquireTime", Str()),
            ("renewTime", Str()),
            ("leaseTransitions", Int32()))));

    // Events list only the top-level fields the emulator's clients use, so their roots stay open.
    private static TypeSchema CoreEvent() => OpenKind(
        statusSubresource: false,
        ("involvedObject", FreeForm()),
        ("reason", Str()),
        ("message", Str()),
        ("type", Str()),
        ("count", Int32()),
        ("source", FreeForm()),
        ("firstTimestamp", Str()),
        ("lastTimestamp", Str()),
        ("eventTime", Str()),
        ("reportingComponent", Str()),
        ("reportingInstance", Str()));

    private static TypeSchema EventsEvent() => OpenKind(
        statusSubresource: false,
        ("regarding", FreeForm()),
        ("related", FreeForm()),
        ("reason", Str()),
        ("note", Str()),
        ("type", Str()),
        ("action", Str()),
        ("eventTime", Str()),
        ("reportingController", Str()),
        ("reportingInstance", Str()),
        ("series", FreeForm()));

    private static TypeSchema CustomResourceDefinition()
    {
        var names = Struct(
            ("plural", Str()), ("singular", Str()), ("kind", Str()), ("listKind", Str()),
            ("shortNames", AtomicList(Str())), ("categories", AtomicList(Str())));
        var spec = Struct(
                ("group", Str()),
                ("names", names),
                ("scope", OneOf("Namespaced", "Cluster")),
                ("versions", AtomicList(FreeForm())),
                ("conversion", FreeForm()),
                ("preserveUnknownFields", Bool()))
            .Requiring("group", "names", "scope", "versions");
        var status = Struct(("acceptedNames", names), ("storedVersions", AtomicList(Str())), ("conditions", Conditions()));
        return Kind(statusSubresource: true, ("spec", spec), ("status", status));
    }

    // rbac/v1: rules and subjects are atomic lists (no list type declared upstream); roleRef is required and atomic.
    private static TypeSchema PolicyRules()
    {
        var strings = AtomicList(Str());
        var rule = Struct(
                ("verbs", new TypeSchema { Type = "array", Items = Str(), ListType = ListType.Atomic, MinItems = 1 }),
                ("apiGroups", strings),
                ("resources", strings),
                ("resourceNames", strings),
                ("nonResourceURLs", strings))
            .Requiring("verbs");
        return AtomicList(rule);
    }

    private static TypeSchema Role() => Kind(statusSubresource: false, ("rules", PolicyRules()));

    private static TypeSchema ClusterRole() => Kind(
        statusSubresource: false,
        ("rules", PolicyRules()),
        ("aggregationRule", Struct(("clusterRoleSelectors", AtomicList(PodTemplateSchema.LabelSelector())))));

    private static TypeSchema RoleBinding()
    {
        var roleRef = AtomicStruct(
                ("apiGroup", OneOf("rbac.authorization.k8s.io")),
                ("kind", OneOf("Role", "ClusterRole")),
                ("name", new TypeSchema { Type = "string", MinLength = 1 }))
            .Requiring("apiGroup", "kind", "name");
        var subject = Struct(
                ("kind", OneOf("ServiceAccount", "User", "Group")),
                ("apiGroup", Str()),
                ("name", new TypeSchema { Type = "string", MinLength = 1 }),
                ("namespace", Str()))
            .Requiring("kind", "name");
        return Kind(statusSubresource: false, ("roleRef", roleRef), ("subjects", AtomicList(subject)))
            .Requiring("roleRef");
    }
}
