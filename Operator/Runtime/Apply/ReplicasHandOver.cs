namespace Operator.Runtime.Apply;

/// <summary>
/// How a Deployment's spec.replicas passes from the operator to an autoscaler. The domain marks a desired Deployment
/// whose replicas an autoscaler owns with <see cref="OwnerAnnotation"/> = <see cref="AutoscalerValue"/> and leaves
/// spec.replicas out of it; before the first such apply over a live Deployment not yet so marked, the applier has
/// <see cref="FieldManager"/> take co-ownership of spec.replicas at its live value, so the apply that drops the field
/// does not reset it to the default of 1 (the hand-over the server-side apply documentation describes).
/// </summary>
public sealed record ReplicasHandOver(string OwnerAnnotation, string AutoscalerValue, string FieldManager);
