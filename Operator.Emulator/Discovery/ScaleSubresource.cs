namespace Operator.Emulator.Discovery;

/// <summary>Where a kind keeps the fields its /scale subresource maps (JSONPaths, as in a CRD's scale subresource).</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
