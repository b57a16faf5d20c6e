using System.Net;

namespace Operator.Runtime.Source;

/// <summary>A failed API call: an HTTP error status, or an ERROR event in a watch stream carrying a Status code.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesApiException(HttpStatusCode statusCode, string message)
        : base(message) => StatusCode = statusCode;

    public HttpStatusCode StatusCode { get; }

    /// <summary>How long the server asked us to wait (429/503 with Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>410 Gone: the requested resourceVersion is older than the server keeps; a relist is needed.</summary>
    public bool IsResourceExpired => StatusCode == HttpStatusCode.Gone;
}
