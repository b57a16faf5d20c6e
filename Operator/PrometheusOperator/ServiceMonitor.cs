// The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), the fields the operator writes: which Services
// to scrape (by label, in the object's own namespace unless namespaceSelector says otherwise) and, per endpoint,
// the Service port by name, the path and the interval.
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Operator.PrometheusOperator;

/// <summary>A Prometheus Operator ServiceMonitor.</summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "monitoring.coreos.com";
    public const string Version = "v1";
    public const string ApiVersionValue = Group + "/" + Version;
    public const string KindValue = "ServiceMonitor";
    public const string Plural = "servicemonitors";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed record ServiceMonitorSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; init; } = new();

    [JsonPropertyName("endpoints")]
    public IList<ServiceMonitorEndpoint> Endpoints { get; init; } = [];
}

/// <summary>One scraped port of the selected Services.</summary>
public sealed record ServiceMonitorEndpoint
{
    [JsonPropertyName("port")]
    public string? Port { get; init; }

    [JsonPropertyName("path")]
    public string? Path { get; init; }

    [JsonPropertyName("scheme")]
    public string? Scheme { get; init; }

    [JsonPropertyName("interval")]
    public string? Interval { get; init; }
}
