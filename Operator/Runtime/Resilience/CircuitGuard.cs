// A per-call timeout inside a circuit breaker, for calls to one remote endpoint. Invariants: every call is cut
// off after CallTimeout; after MinimumFailures failed calls within the sampling window (every call in it failing)
// the circuit opens and calls fail at once with BrokenCircuitException for BreakDuration, so an endpoint that is
// down costs one failed attempt per break instead of a connect timeout per caller; a cancelled caller is not
// counted as the endpoint's failure.
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Operator.Runtime.Resilience;

/// <summary>Settings of a <see cref="CircuitGuard"/>.</summary>
public sealed record CircuitGuardOptions
{
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The window in which failures are counted; at least two of the caller's intervals.</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(60);

    public int MinimumFailures { get; init; } = 2;
}

/// <summary>Guards calls to one endpoint with a timeout and a circuit breaker.</summary>
public sealed class CircuitGuard
{
    private readonly ResiliencePipeline pipeline;

    public CircuitGuard(CircuitGuardOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = Math.Max(2, options.MinimumFailures),
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException || e is TimeoutRejectedException),
            })
            .AddTimeout(options.CallTimeout)
            .Build();
    }

    /// <summary>Runs <paramref name="call"/> under the guard; throws what it threw, TimeoutRejectedException or BrokenCircuitException.</summary>
    public ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(call, cancellationToken);
}
