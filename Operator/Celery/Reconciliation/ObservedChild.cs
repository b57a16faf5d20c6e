using k8s;
using k8s.Models;
using Operator.Runtime.Source;

namespace Operator.Celery.Reconciliation;

/// <summary>A cached child controlled by the resource being planned, with the resource it was read through.</summary>
public sealed record ObservedChild(ResourceDescriptor Resource, IKubernetesObject<V1ObjectMeta> Object);
