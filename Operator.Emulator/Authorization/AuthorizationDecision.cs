namespace Operator.Emulator.Authorization;

/// <summary>The answer to one authorization question, with why it was allowed.</summary>
public sealed record AuthorizationDecision(AuthorizationAttributes Request, bool Allowed, string Reason)
{
    public static AuthorizationDecision Allow(AuthorizationAttributes request, string reason) => new(request, true, reason);

    public static AuthorizationDecision Deny(AuthorizationAttributes request) => new(request, false, string.Empty);
}
