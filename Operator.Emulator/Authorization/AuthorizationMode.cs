namespace Operator.Emulator.Authorization;

/// <summary>How the emulator authorizes requests (kube-apiserver's --authorization-mode).</summary>
public enum AuthorizationMode
{
    /// <summary>Every request is allowed.</summary>
    AlwaysAllow,

    /// <summary>Requests are allowed by the Roles, ClusterRoles and bindings in the emulator's store.</summary>
    Rbac,
}
