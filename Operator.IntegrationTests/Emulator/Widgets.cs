// The Widget custom resource (Manifests.WidgetCrd) through KubernetesClient's untyped custom-object API.
using System.Text.Json;

namespace Operator.IntegrationTests.Emulator;

internal static class Widgets
{
    public const string Group = "example.com";
    public const string Version = "v1";
    public const string Plural = "widgets";

    public static JsonObject Make(string name, int size) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["size"] = size },
    };

    public static async Task<JsonObject> CreateAsync(ClusterSession cluster, string name, int size) =>
        Parse(await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Make(name, size), Group, Version, cluster.Namespace, Plural));

    /// <summary>The JSON KubernetesClient returns for a custom object, as a mutable node.</summary>
    public static JsonObject Parse(object response) => response switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())!.AsObject(),
        JsonNode node => node.AsObject(),
        _ => JsonNode.Parse(JsonSerializer.Serialize(response))!.AsObject(),
    };
}
