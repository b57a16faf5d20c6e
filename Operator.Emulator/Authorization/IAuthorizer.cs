namespace Operator.Emulator.Authorization;

/// <summary>Decides whether a request may proceed, as kube-apiserver's authorizer chain does.</summary>
public interface IAuthorizer
{
    AuthorizationDecision Authorize(AuthorizationAttributes request);
}
