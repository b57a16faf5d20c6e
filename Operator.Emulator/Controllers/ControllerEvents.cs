// core/v1 Events the simulated controllers record, shaped as kube-controller-manager's event recorder writes them:
// type Normal, the involved object's reference, source and reportingComponent the controller's name, count 1.
using System.Text.Json.Nodes;
using Operator.Emulator.Api;

namespace Operator.Emulator.Controllers;

/// <summary>Records Events about objects on behalf of a controller.</summary>
internal sealed class ControllerEvents(ResourceService service, string component, TimeProvider time)
{
    public void Normal(JsonObject involved, string reason, string message)
    {
        var type = service.Catalog.Find("", "v1", "events")!;
        var metadata = involved["metadata"]!;
        var now = ObjectMetadata.Timestamp(time.GetUtcNow());
        var inNamespace = metadata["namespace"]?.GetValue<string>() ?? "default";
        var name = $"{metadata["name"]}.{time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000 + Random.Shared.Next(1_000_000):x}";
        var eventObject = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = inNamespace },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = involved["apiVersion"]?.DeepClone(),
                ["kind"] = involved["kind"]?.DeepClone(),
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = inNamespace,
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = new JsonObject { ["component"] = component },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
            ["type"] = "Normal",
            ["reportingComponent"] = component,
            ["reportingInstance"] = string.Empty,
        };
        service.Create(type, inNamespace, eventObject, new WriteRequest(component));
    }
}
