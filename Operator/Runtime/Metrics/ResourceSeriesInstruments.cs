// Instruments with a series per custom resource (or per resource and queue, group or reason), declared by the
// module that creates them (OperatorServices.AddResourceSeriesInstruments). Their metric streams hold
// MetricsOptions.MaxSeriesPerResourceMetric label sets instead of the small fixed bound every other stream gets (see
// MetricStreams). Invariant: names only, matched exactly.
namespace Operator.Runtime.Metrics;

/// <summary>Names of instruments whose label sets grow with the number of resources.</summary>
public sealed record ResourceSeriesInstruments(IReadOnlyList<string> Names);
