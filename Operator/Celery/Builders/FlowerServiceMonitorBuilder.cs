using k8s.Models;
using Operator.Celery.Model;
using Operator.PrometheusOperator;

namespace Operator.Celery.Builders;

/// <summary>
/// A ServiceMonitor that has the Prometheus Operator scrape Flower's /metrics through Flower's Service (selected by
/// its identity labels, on the Service's named port). Flower 2.0 serves /metrics without authentication, like
/// /healthcheck, so the endpoint needs no credentials even when Flower's UI has a login.
/// </summary>
public static class FlowerServiceMonitorBuilder
{
    public static ServiceMonitor Build(BuildContext context, FlowerSpec flower, FlowerServiceMonitorSpec monitor)
    {
        var metadata = ChildMetadata.For(context, context.Names.FlowerServiceMonitor, CeleryLabels.Components.Flower);
        // The user's labels (a Prometheus' serviceMonitorSelector) are added; ours win, since the operator finds
        // its children by them.
        var labels = new SortedDictionary<string, string>(monitor.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in metadata.Labels)
        {
            labels[key] = value;
        }

        metadata.Labels = labels;
        return new ServiceMonitor
        {
            Metadata = metadata,
            Spec = new ServiceMonitorSpec
            {
                Selector = new V1LabelSelector { MatchLabels = CeleryLabels.Selector(context, CeleryLabels.Components.Flower) },
                Endpoints =
                [
                    new ServiceMonitorEndpoint
                    {
                        Port = FlowerDeploymentBuilder.PortName,
                        Path = CeleryCommandLine.FlowerMetricsPath(flower),
                        Scheme = "http",
                        Interval = monitor.Interval,
                    },
                ],
            },
        };
    }
}
