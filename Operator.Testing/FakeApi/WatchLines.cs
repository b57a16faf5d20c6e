// The lines of a watch stream as kube-apiserver writes them: one JSON object a line, {"type":…,"object":…}. A 410
// ERROR event carries a Status written by hand, because KubernetesClient's model cannot serialize V1Status.
using k8s;

namespace Operator.Testing;

/// <summary>Builds watch event lines for scripted watches of <see cref="FakeKubernetesApi"/>.</summary>
public static class WatchLines
{
    /// <summary>An event of <paramref name="type"/> (ADDED, MODIFIED, DELETED, BOOKMARK) for <paramref name="obj"/>.</summary>
    public static string Event(string type, object obj) =>
        $"{{\"type\":\"{type}\",\"object\":{KubernetesJson.Serialize(obj)}}}";

    /// <summary>The ERROR event a server sends when the watch's resourceVersion is too old (410 Expired).</summary>
    public static string Gone() =>
        "{\"type\":\"ERROR\",\"object\":" + Status(410, "Expired", "too old resource version") + "}";

    /// <summary>A Status body of a failed request.</summary>
    public static string Status(int code, string reason, string message = "") =>
        $"{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"{message}\",\"reason\":\"{reason}\",\"code\":{code}}}";
}
