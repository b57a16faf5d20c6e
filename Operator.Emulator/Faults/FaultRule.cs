namespace Operator.Emulator.Faults;

/// <summary>
/// Fails matching requests with <see cref="StatusCode"/>. Null filters match anything. <see cref="Count"/> limits how
/// many requests fail (null: unlimited); <see cref="Probability"/> (0..1, null: always) fails only that share of
/// matching requests. With <see cref="RetryAfterSeconds"/> the response carries a Retry-After header.
/// </summary>
public sealed record FaultRule(
    int StatusCode,
    string? Verb = null,
    string? Resource = null,
    string? Subresource = null,
    string? Namespace = null,
    string? Name = null,
    int? Count = null,
    double? Probability = null,
    int? RetryAfterSeconds = null,
    string? Message = null)
{
    public bool Matches(string verb, string resource, string? subresource, string? inNamespace, string? name) =>
        (Verb is null || string.Equals(Verb, verb, StringComparison.OrdinalIgnoreCase))
        && (Resource is null || Resource == resource)
        && (Subresource is null || Subresource == subresource)
        && (Namespace is null || Namespace == inNamespace)
        && (Name is null || Name == name);
}
