// OpenAPI v3 per group/version (and one OpenAPI v2 document for everything): one path per resource whose operations
// carry the x-kubernetes-group-version-kind extension and the query parameters kube-apiserver accepts (notably
// fieldValidation), which kubectl inspects to decide that the server validates fields itself; and one schema per
// kind (OpenApiSchemas), which `kubectl explain` reads.
using System.Globalization;
using System.Text.Json.Nodes;

namespace Operator.Emulator.Discovery;

/// <summary>/openapi/v3 and /openapi/v3/{api/v1 | apis/group/version}.</summary>
public sealed class OpenApiDocuments(ResourceCatalog catalog, OpenApiSchemas schemas)
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

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.KubernetesVersion },
            ["paths"] = Paths(types, Operation),
            ["components"] = new JsonObject { ["schemas"] = Definitions(types) },
        };
    }

    /// <summary>/openapi/v2: every served resource's paths and every kind's definition in one Swagger 2.0 document.</summary>
    public JsonObject Version2()
    {
        var types = catalog.All.ToList();
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = DiscoveryDocuments.KubernetesVersion },
            ["paths"] = Paths(types, OperationVersion2),
            ["definitions"] = Definitions(types),
        };
    }

    private JsonObject Definitions(IEnumerable<ResourceType> types)
    {
        var definitions = new JsonObject();
        foreach (var type in types.Where(type => !type.CreateOnly))
        {
            if (schemas.For(type) is { } schema)
            {
                definitions[OpenApiSchemas.Name(type)] = schema;
            }
        }

        return definitions;
    }

    private static JsonObject Paths(IEnumerable<ResourceType> types, Func<ResourceType, string, JsonObject> operation)
    {
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = type.Group.Length == 0 ? "/api/v1" : $"/apis/{type.Group}/{type.Version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Resource}" : $"{prefix}/{type.Resource}";
            if (type.CreateOnly)
            {
                paths[collection] = new JsonObject { ["post"] = operation(type, "create") };
                continue;
            }

            paths[collection] = new JsonObject { ["post"] = operation(type, "create"), ["get"] = operation(type, "list") };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = operation(type, "read"),
                ["put"] = operation(type, "replace"),
                ["patch"] = operation(type, "patch"),
                ["delete"] = operation(type, "delete"),
            };
        }

        return paths;
    }

    private static JsonObject OperationVersion2(ResourceType type, string action) => new()
    {
        ["operationId"] = $"{action}{type.Kind}",
        ["parameters"] = new JsonArray([.. QueryParameters.Select(name => new JsonObject
        {
            ["name"] = name,
            ["in"] = "query",
            ["type"] = name == "force" ? "boolean" : "string",
            ["uniqueItems"] = true,
        })]),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-action"] = action,
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
    };

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
