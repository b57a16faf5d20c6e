using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Operator.Runtime.Source;

namespace Operator.Runtime.Apply;

/// <summary>
/// What one owner's children should become: the objects to apply, in order, and the observed children to delete.
/// Made by a domain's pure plan; executed by <see cref="ChildSetApplier"/>, which knows nothing of the domain.
/// </summary>
/// <param name="OwnerUid">The uid every applied child's controller ownerReference names; a live object controlled by anything else is never written.</param>
public sealed record ChildSet(string OwnerUid, IReadOnlyList<DesiredChild> Apply, IReadOnlyList<ObsoleteChild> Delete)
{
    public static ChildSet Nothing(string ownerUid) => new(ownerUid, [], []);
}

/// <summary>A child to apply: its resource and its whole desired configuration (apiVersion, kind, metadata.name set).</summary>
public sealed record DesiredChild(ResourceDescriptor Resource, JsonObject Desired)
{
    public string Kind => Desired["kind"]?.GetValue<string>() ?? Resource.Kind;

    public string Name => Desired["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidOperationException("a desired child has no name");

    public string? Namespace => Desired["metadata"]?["namespace"]?.GetValue<string>();

    /// <summary>The JSON of a typed object, as the API server would receive it.</summary>
    public static DesiredChild Of(ResourceDescriptor resource, IKubernetesObject<V1ObjectMeta> child) =>
        new(resource, (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(child))!);
}

/// <summary>An observed child to delete, by its uid (a precondition: never another object of the same name).</summary>
public sealed record ObsoleteChild(ResourceDescriptor Resource, string? Namespace, string Name, string Uid);
