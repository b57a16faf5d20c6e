namespace Operator.Runtime.Source;

/// <summary>
/// What makes two informers the same one: the object type they decode into, the resource they list and watch, the
/// label selector and the projection. Projections compare by reference: declare each once (as a static) and reuse it.
/// </summary>
public sealed record InformerKey(Type ObjectType, ResourceDescriptor Resource, string? LabelSelector, ObjectProjection? Projection);
