namespace Operator.Emulator.Authorization;

/// <summary>Allows everything: the emulator's default, like kube-apiserver's --authorization-mode=AlwaysAllow.</summary>
public sealed class AlwaysAllowAuthorizer : IAuthorizer
{
    public AuthorizationDecision Authorize(AuthorizationAttributes request) => AuthorizationDecision.Allow(request, "AlwaysAllow");
}
