// The objects a fresh cluster has in its `default` namespace: the `kubernetes` Service kube-apiserver maintains
// (the range's first cluster IP, port 443 to the API server's 6443) and the `default` ServiceAccount the service
// account controller creates. Only namespaces that exist at start get a `default` ServiceAccount (kube-controller-
// manager would add one to every namespace).
using System.Text.Json.Nodes;
using Operator.Emulator.Api;
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Hosting;

internal static class DefaultNamespaceObjects
{
    public static void Create(ResourceService service, ResourceCatalog catalog, ClusterIpAllocator clusterIps, WriteRequest apiServer)
    {
        var kubernetes = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = clusterIps.KubernetesServiceIp,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
                ["sessionAffinity"] = "None",
                ["type"] = "ClusterIP",
            },
        };
        service.Create(catalog.Find("", "v1", "services")!, "default", kubernetes, apiServer);
    }

    public static void CreateServiceAccount(ResourceService service, ResourceCatalog catalog, string inNamespace) =>
        service.Create(catalog.Find("", "v1", "serviceaccounts")!, inNamespace, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } },
            new WriteRequest("kube-controller-manager"));
}
