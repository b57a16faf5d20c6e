namespace Operator.Emulator.Authorization;

/// <summary>Who a request comes from, as kube-apiserver's authenticators describe a user: a name and its groups.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Anonymous = "system:anonymous";
    public const string AuthenticatedGroup = "system:authenticated";
    public const string UnauthenticatedGroup = "system:unauthenticated";

    /// <summary>The group whose members every request is allowed to (kube-apiserver's privileged group).</summary>
    public const string MastersGroup = "system:masters";

    public const string ServiceAccountPrefix = "system:serviceaccount:";

    public bool IsAnonymous => Name == Anonymous;

    /// <summary>
    /// The groups kube-apiserver's service account authenticator gives a token of
    /// "system:serviceaccount:{namespace}:{name}"; none for other names.
    /// </summary>
    public static IReadOnlyList<string> ServiceAccountGroups(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return [];
        }

        var parts = name[ServiceAccountPrefix.Length..].Split(':');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? ["system:serviceaccounts", $"system:serviceaccounts:{parts[0]}"] : [];
    }
}
