using k8s;
using k8s.Models;

namespace Operator.Runtime.Source;

/// <summary>
/// meta.k8s.io/v1 PartialObjectMetadata: an object's metadata without its body, as the API server returns it to a
/// client that asks for metadata only (see <see cref="ObjectProjection.RequestMetadataOnly"/>).
/// </summary>
public sealed class PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";

    public string Kind { get; set; } = "PartialObjectMetadata";

    public V1ObjectMeta Metadata { get; set; } = new();
}
