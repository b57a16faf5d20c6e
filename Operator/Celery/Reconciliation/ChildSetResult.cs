using System.Net;
using Operator.Runtime.Apply;

namespace Operator.Celery.Reconciliation;

/// <summary>What applying a plan's children did: one outcome per child, or the API error that ended the pass.</summary>
public sealed record ChildSetResult(IReadOnlyList<ChildOutcome> Outcomes, ChildSetFailure? Failure)
{
    public static ChildSetResult Applied(IReadOnlyList<ChildOutcome> outcomes) => new(outcomes, null);

    public static ChildSetResult Failed(ChildSetFailure failure) => new([], failure);
}

/// <summary>An API error that ended an apply pass: its status code, its (already bounded) message, and any Retry-After.</summary>
public sealed record ChildSetFailure(HttpStatusCode? StatusCode, string Message, TimeSpan? RetryAfter);
