using Operator.Celery.Broker;
using Operator.Celery.Model;
using Operator.Celery.Naming;

namespace Operator.Celery.Builders;

/// <summary>
/// What the reconciler resolved outside the resource before building: the parsed broker URL (null when it
/// could not be read, in which case no KEDA object needing it is built) and a checksum of the referenced
/// Secrets' data, stamped on pod templates so a rotated password rolls the pods.
/// </summary>
public sealed record BrokerContext(BrokerEndpoint? Endpoint, string? SecretChecksum)
{
    public static BrokerContext Unresolved { get; } = new(null, null);
}

/// <summary>Everything a builder reads: the resource, its child names, and the resolved broker.</summary>
public sealed record BuildContext(CeleryResource Resource, BrokerContext Broker)
{
    public ChildNames Names { get; } = new(Resource.Metadata.Name);

    public string Namespace => Resource.Metadata.NamespaceProperty ?? "default";

    public CelerySpec Spec => Resource.Spec;
}
