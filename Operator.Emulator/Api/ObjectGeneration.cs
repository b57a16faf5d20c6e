// Which kinds carry metadata.generation: those whose kube-apiserver registry strategy sets it (custom resources and
// CRDs, workloads, Ingresses, NetworkPolicies, PodDisruptionBudgets). ConfigMaps, Secrets, Services, Namespaces,
// Pods, Events, ServiceAccounts, Leases, HorizontalPodAutoscalers and RBAC objects have none.
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Api;

internal static class ObjectGeneration
{
    public static bool Tracked(ResourceType type) => type.IsCustom || type.Group switch
    {
        "" => type.Resource == "replicationcontrollers",
        "apps" or "batch" or BuiltInResources.ApiExtensionsGroup => true,
        "networking.k8s.io" => type.Resource is "ingresses" or "networkpolicies" or "ingressclasses",
        "policy" => type.Resource == "poddisruptionbudgets",
        _ => false,
    };
}
