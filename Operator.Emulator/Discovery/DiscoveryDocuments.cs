// Legacy (unaggregated) discovery documents. Clients that ask for aggregated discovery get these instead and fall
// back, because the response's content type is plain application/json.
using System.Text.Json.Nodes;

namespace Operator.Emulator.Discovery;

/// <summary>/version, /api, /api/v1, /apis, /apis/{group} and /apis/{group}/{version}.</summary>
public sealed class DiscoveryDocuments(ResourceCatalog catalog)
{
    public const string KubernetesVersion = "v1.32.0";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = KubernetesVersion + "+emulator",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.23",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. catalog.Groups().Select(group => Group(group.Group, group.Versions))]),
    };

    public JsonObject? Group(string name)
    {
        var match = catalog.Groups().FirstOrDefault(group => group.Group == name);
        return match.Group is null ? null : Group(match.Group, match.Versions);
    }

    /// <summary>The APIResourceList of a group/version; null when nothing is served there.</summary>
    public JsonObject? Resources(string group, string version)
    {
        var types = catalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0 && !(group.Length == 0 && version == "v1"))
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            var entry = new JsonObject
            {
                ["name"] = type.Resource,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray([.. type.Verbs.Select(verb => JsonValue.Create(verb))]),
            };
            if (!type.CreateOnly)
            {
                entry["storageVersionHash"] = StorageVersionHash(type);
            }

            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. type.ShortNames.Select(name => JsonValue.Create(name))]);
            }

            if (type.Categories is { Count: > 0 } categories)
            {
                entry["categories"] = new JsonArray([.. categories.Select(name => JsonValue.Create(name))]);
            }

            resources.Add(entry);
            if (type.HasStatus)
            {
                resources.Add(Subresource(type, "status", type.Kind, null));
            }

            if (type.Scale is not null)
            {
                resources.Add(Subresource(type, "scale", "Scale", ("autoscaling", "v1")));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>
    /// kube-apiserver's storageVersionHash: base64 of the first 8 bytes of SHA-256 of "group/version/Kind" of the
    /// stored version (the served version here: the emulator stores every version of a kind alike).
    /// </summary>
    public static string StorageVersionHash(ResourceType type) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{type.Group}/{type.Version}/{type.Kind}"))[..8]);

    private static JsonObject Subresource(ResourceType type, string name, string kind, (string Group, string Version)? groupVersion)
    {
        var entry = new JsonObject
        {
            ["name"] = $"{type.Resource}/{name}",
            ["singularName"] = "",
            ["namespaced"] = type.Namespaced,
            ["kind"] = kind,
            ["verbs"] = new JsonArray("get", "patch", "update"),
        };
        if (groupVersion is { } target)
        {
            entry["group"] = target.Group;
            entry["version"] = target.Version;
        }

        return entry;
    }

    private static JsonObject Group(string name, IReadOnlyList<string> versions)
    {
        JsonObject VersionEntry(string version) => new() { ["groupVersion"] = $"{name}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray([.. versions.Select(VersionEntry)]),
            ["preferredVersion"] = VersionEntry(versions[0]),
        };
    }
}
