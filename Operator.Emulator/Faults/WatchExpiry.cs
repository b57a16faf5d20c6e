namespace Operator.Emulator.Faults;

/// <summary>
/// Expires resourceVersions up to <see cref="ThroughResourceVersion"/> for watches of one resource (in
/// <see cref="Namespace"/>, null: any): such a watch gets the 410 Expired a real server sends when a watch cache no
/// longer holds that version, while every other resource's watches resume as usual. A watch from a newer version
/// (what a client uses after relisting) is not affected.
/// </summary>
public sealed record WatchExpiry(string Resource, long ThroughResourceVersion, string? Namespace = null)
{
    public bool Expires(string resource, string? inNamespace, long resourceVersion) =>
        Resource == resource && (Namespace is null || Namespace == inNamespace) && resourceVersion <= ThroughResourceVersion;
}
