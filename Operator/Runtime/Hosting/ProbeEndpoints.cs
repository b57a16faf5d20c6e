namespace Operator.Runtime.Hosting;

/// <summary>
/// Kubernetes probes. <c>/healthz</c> answers 200 while the process serves requests. <c>/readyz</c> answers 200
/// once every informer has listed once and shutdown has not begun, with the body <c>leader</c> or <c>standby</c>
/// (both are ready: a standby is a warm spare); otherwise 503 with the reason. Both answer on the probe port only.
/// </summary>
public static class ProbeEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(LivenessPath, () => Results.Text("ok")).AddEndpointFilter(OnlyOnProbePort);
        endpoints.MapGet(ReadinessPath, (ControllerModules modules, OperatorStatus status) => Readiness(modules, status)).AddEndpointFilter(OnlyOnProbePort);
        return endpoints;
    }

    private static ValueTask<object?> OnlyOnProbePort(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        OperatorListeners.Arrived(invocation.HttpContext, OperatorPort.Probes) ? next(invocation) : ValueTask.FromResult<object?>(Results.NotFound());

    private static IResult Readiness(ControllerModules modules, OperatorStatus status)
    {
        if (status.Stopping)
        {
            return Results.Text("stopping", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var unsynced = modules.Unsynced.Select(i => i.Resource.ToString()).ToList();
        if (unsynced.Count > 0)
        {
            return Results.Text($"waiting for informers to sync: {string.Join(", ", unsynced)}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Text(status.IsLeader ? "leader" : "standby");
    }
}
