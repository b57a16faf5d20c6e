using Operator.Emulator.Tables;

namespace Operator.Emulator.Discovery;

/// <summary>The built-in kinds the emulator serves.</summary>
public static class BuiltInResources
{
    public const string ApiExtensionsGroup = "apiextensions.k8s.io";

    public const string RbacGroup = "rbac.authorization.k8s.io";

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new("", "v1", "namespaces", "Namespace", "namespace", false, ["ns"], true, null, BuiltInColumns.Namespaces),
        new("", "v1", "configmaps", "ConfigMap", "configmap", true, ["cm"], false, null, BuiltInColumns.ConfigMaps),
        new("", "v1", "secrets", "Secret", "secret", true, [], false, null, BuiltInColumns.Secrets),
        new("", "v1", "services", "Service", "service", true, ["svc"], true, null, BuiltInColumns.Services, Categories: ["all"]),
        new("", "v1", "serviceaccounts", "ServiceAccount", "serviceaccount", true, ["sa"], false, null, BuiltInColumns.ServiceAccounts),
        new("", "v1", "events", "Event", "event", true, ["ev"], false, null, BuiltInColumns.Events),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", "persistentvolumeclaim", true, ["pvc"], true, null, BuiltInColumns.PersistentVolumeClaims),
        new("", "v1", "pods", "Pod", "pod", true, ["po"], true, null, BuiltInColumns.Pods, Categories: ["all"]),
        new("", "v1", "endpoints", "Endpoints", "endpoints", true, ["ep"], false, null, BuiltInColumns.Endpoints),
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", "endpointslice", true, [], false, null, BuiltInColumns.EndpointSlices),
        new("apps", "v1", "replicasets", "ReplicaSet", "replicaset", true, ["rs"], true,
            new ScaleSubresource(".spec.replicas", ".status.replicas", ".spec.selector"), BuiltInColumns.ReplicaSets, Categories: ["all"]),
        new("batch", "v1", "jobs", "Job", "job", true, [], true, null, BuiltInColumns.Jobs, Categories: ["all"]),
        new("apps", "v1", "deployments", "Deployment", "deployment", true, ["deploy"], true,
            new ScaleSubresource(".spec.replicas", ".status.replicas", ".spec.selector"), BuiltInColumns.Deployments, Categories: ["all"]),
        new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", "horizontalpodautoscaler", true, ["hpa"], true, null,
            BuiltInColumns.HorizontalPodAutoscalers, Categories: ["all"]),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", "ingress", true, ["ing"], true, null, BuiltInColumns.Ingresses),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", "networkpolicy", true, ["netpol"], false, null, BuiltInColumns.NetworkPolicies),
        new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", "poddisruptionbudget", true, ["pdb"], true, null, BuiltInColumns.PodDisruptionBudgets),
        new("events.k8s.io", "v1", "events", "Event", "event", true, ["ev"], false, null, BuiltInColumns.Events),
        new("coordination.k8s.io", "v1", "leases", "Lease", "lease", true, [], false, null, BuiltInColumns.Leases),
        new(RbacGroup, "v1", "roles", "Role", "role", true, [], false, null, BuiltInColumns.Roles),
        new(RbacGroup, "v1", "rolebindings", "RoleBinding", "rolebinding", true, [], false, null, BuiltInColumns.RoleBindings),
        new(RbacGroup, "v1", "clusterroles", "ClusterRole", "clusterrole", false, [], false, null, BuiltInColumns.Roles),
        new(RbacGroup, "v1", "clusterrolebindings", "ClusterRoleBinding", "clusterrolebinding", false, [], false, null, BuiltInColumns.RoleBindings),
        new("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", "tokenreview", false, [], false, null, BuiltInColumns.Default, CreateOnly: true),
        new("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", "subjectaccessreview", false, [], false, null, BuiltInColumns.Default, CreateOnly: true),
        new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", "selfsubjectaccessreview", false, [], false, null, BuiltInColumns.Default, CreateOnly: true),
        new(ApiExtensionsGroup, "v1", "customresourcedefinitions", "CustomResourceDefinition", "customresourcedefinition", false,
            ["crd", "crds"], true, null, BuiltInColumns.CustomResourceDefinitions),
    ];
}
