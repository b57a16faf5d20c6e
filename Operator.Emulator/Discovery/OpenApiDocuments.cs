// Minimal OpenAPI v3: per group/version, one path per resource whose operations carry the
// x-kubernetes-group-version-kind extension and the query parameters kube-apiserver accepts (notably
// fieldValidation). That is what kubectl inspects to decide that the server validates fields itself, so kubectl
// needs no client-side schema. No schemas are published (kubectl explain does not work); /openapi/v2 is not served.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Discovery;

/// <summary>/openapi/v3 and /openapi/v3/{api/v1 | apis/group/version}.</summary>
public sealed class OpenApiDocuments(ResourceCatalog catalog)
{
    private static readonly string[] QueryParameters = ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"];

    public JsonObject Index()
    {
        var paths = new JsonObject();
        var hash = catalog.Revision.ToString(CultureInfo.InvariantCulture);
        foreach (var groupVersion in catalog.All.Select(type => (type.Group, type.Version)).Distinct())
        {
            var relative = Relative(groupVersion.Group, groupVersion.Version);
            paths[relative] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{relative}?hash={hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of one group/version, or null when nothing is served there.</summary>
    public JsonObject? GroupVersion(string relativePath)
    {
        var types = catalog.All.Where(type => Relative(type.Group, type.Version) == relativePath.Trim('/')).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = type.Group.Length == 0 ? "/api/v1" : $"/apis/{type.Group}/{type.Version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Resource}" : $"{prefix}/{type.Resource}";
            if (type.CreateOnly)
            {
                paths[collection] = new JsonObject { ["post"] = Operation(type, "create") };
                continue;
            }

            paths[collection] = new JsonObject { ["post"] = Operation(type, "create"), ["get"] = Operation(type, "list") };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation(type, "read"),
                ["put"] = Operation(type, "replace"),
                ["patch"] = Operation(type, "patch"),
                ["delete"] = Operation(type, "delete"),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.KubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Operation(ResourceType type, string action) => new()
    {
        ["operationId"] = $"{action}{type.Kind}",
        ["parameters"] = new JsonArray([.. QueryParameters.Select(name => new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string", ["uniqueItems"] = true },
        })]),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
    };

    private static string Relative(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
}
