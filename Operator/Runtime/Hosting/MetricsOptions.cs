namespace Operator.Runtime.Hosting;

/// <summary>
/// How <c>/metrics</c> is served, bound from <c>Operator:Metrics</c>. The default follows controller-runtime's
/// secure metrics (kubebuilder v4): HTTPS on <see cref="Port"/>, every request authenticated with a TokenReview
/// and authorized with a SubjectAccessReview (<c>get</c> on the non-resource URL <c>/metrics</c>). Invariants
/// enforced by <see cref="Validate"/>: a port in 0..65535 (0 picks a free one) and a positive cache duration.
/// </summary>
public sealed record MetricsOptions
{
    /// <summary>The port serving /metrics, and nothing else.</summary>
    public int Port { get; init; } = 8443;

    /// <summary>
    /// True: HTTPS, and only callers the API server authenticates and allows to <c>get /metrics</c> are answered.
    /// False: plain HTTP without authentication, for clusters that protect the port otherwise (a NetworkPolicy,
    /// a service mesh).
    /// </summary>
    public bool Secure { get; init; } = true;

    /// <summary>
    /// A directory holding <c>tls.crt</c> and <c>tls.key</c> (a mounted kubernetes.io/tls Secret, as cert-manager
    /// writes it), re-read when they change; unset: a self-signed certificate made at start-up.
    /// </summary>
    public string? CertDir { get; init; }

    /// <summary>How long an authentication and authorization decision about a token is reused.</summary>
    public TimeSpan DecisionCacheDuration { get; init; } = TimeSpan.FromMinutes(1);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 0, "Metrics:Port");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, "Metrics:Port");
        if (DecisionCacheDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Metrics:DecisionCacheDuration", $"Metrics:DecisionCacheDuration must be positive, got {DecisionCacheDuration}.");
        }

        if (!Secure && !string.IsNullOrEmpty(CertDir))
        {
            throw new ArgumentException("Metrics:CertDir is for HTTPS; it cannot be set with Metrics:Secure=false.", "Metrics:CertDir");
        }
    }
}
