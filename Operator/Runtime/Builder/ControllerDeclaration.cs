using Operator.Runtime.Metrics;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Runtime.Builder;

/// <summary>What a <see cref="ControllerBuilder"/> has gathered before the primary kind is declared.</summary>
internal sealed record ControllerDeclaration(
    string Name,
    SharedInformers Informers,
    ControllerOptions Options,
    string? OwnedSelector,
    ILoggerFactory Loggers,
    TimeProvider Time,
    RuntimeMetrics? Metrics);
