// The default roles and bindings kube-apiserver creates at start (its RBAC bootstrap policy), limited to those that
// decide what an ordinary client can do before anyone grants it anything: discovery and version for every
// authenticated user, health and version for everyone, self-reviews, and cluster-admin for system:masters. They
// exist in every mode, as on a real server; they decide only when authorization is RBAC.
using System.Text.Json.Nodes;

namespace Operator.Emulator.Authorization;

/// <summary>The bootstrap ClusterRoles and ClusterRoleBindings, as objects to create.</summary>
public static class BootstrapPolicy
{
    public static IReadOnlyList<JsonObject> ClusterRoles() =>
    [
        ClusterRole("cluster-admin",
            new JsonObject { ["apiGroups"] = Array("*"), ["resources"] = Array("*"), ["verbs"] = Array("*") },
            new JsonObject { ["nonResourceURLs"] = Array("*"), ["verbs"] = Array("*") }),
        ClusterRole("system:discovery",
            new JsonObject
            {
                ["nonResourceURLs"] = Array("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"),
                ["verbs"] = Array("get"),
            }),
        ClusterRole("system:public-info-viewer",
            new JsonObject { ["nonResourceURLs"] = Array("/healthz", "/livez", "/readyz", "/version", "/version/"), ["verbs"] = Array("get") }),
        ClusterRole("system:basic-user",
            new JsonObject { ["apiGroups"] = Array("authorization.k8s.io"), ["resources"] = Array("selfsubjectaccessreviews", "selfsubjectrulesreviews"), ["verbs"] = Array("create") },
            new JsonObject { ["apiGroups"] = Array("authentication.k8s.io"), ["resources"] = Array("selfsubjectreviews"), ["verbs"] = Array("create") }),
    ];

    public static IReadOnlyList<JsonObject> ClusterRoleBindings() =>
    [
        BindingToGroups("cluster-admin", UserInfo.MastersGroup),
        BindingToGroups("system:discovery", UserInfo.AuthenticatedGroup),
        BindingToGroups("system:public-info-viewer", UserInfo.AuthenticatedGroup, UserInfo.UnauthenticatedGroup),
        BindingToGroups("system:basic-user", UserInfo.AuthenticatedGroup),
    ];

    private static JsonObject ClusterRole(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject BindingToGroups(string role, params string[] groups) => new()
    {
        ["apiVersion"] = "rbac.authorization.k8s.io/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(role),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. groups.Select(group => (JsonNode)new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = group })]),
    };

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonArray Array(params string[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
