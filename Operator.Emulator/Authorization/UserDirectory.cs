// Authentication as the emulator does it. The emulator's kubeconfigs name their user twice: as the bearer token
// (KubernetesClient sends it) and as the user to impersonate, with its groups (client-go, hence kubectl, sends no
// bearer token to a plain-HTTP server but does send Impersonate-User and Impersonate-Group). Both are taken as
// the caller's identity: the emulator does not authorize impersonation itself. Invariants: a request without
// either is system:anonymous in group system:unauthenticated; every other user is in system:authenticated;
// groups come from the Impersonate-Group headers when present, otherwise from what was registered for the user
// when its kubeconfig was written, plus the groups the service account authenticator gives a service account.
using System.Collections.Concurrent;

namespace Operator.Emulator.Authorization;

/// <summary>The users the emulator knows, and who a request comes from.</summary>
public sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> groupsByUser = new(StringComparer.Ordinal);

    /// <summary>Records the groups of <paramref name="user"/> (replacing earlier ones).</summary>
    public void Register(string user, IEnumerable<string> groups)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(groups);
        groupsByUser[user] = [.. groups.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The groups registered for <paramref name="user"/>, none if it was never registered.</summary>
    public IReadOnlyList<string> RegisteredGroups(string user) => groupsByUser.TryGetValue(user, out var groups) ? groups : [];

    /// <summary>Whether a kubeconfig was written for <paramref name="user"/> (so its name is a token the emulator issued).</summary>
    public bool IsKnown(string user) => groupsByUser.ContainsKey(user);

    public UserInfo Authenticate(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = UserName(request);
        if (name == UserInfo.Anonymous)
        {
            return new UserInfo(UserInfo.Anonymous, [UserInfo.UnauthenticatedGroup]);
        }

        var impersonatedGroups = request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        return impersonatedGroups.Count > 0 ? WithImplicitGroups(name, impersonatedGroups) : Identity(name);
    }

    /// <summary><paramref name="user"/> with its registered groups and those every such user has.</summary>
    public UserInfo Identity(string user) => WithImplicitGroups(user, RegisteredGroups(user));

    private static UserInfo WithImplicitGroups(string name, IEnumerable<string> groups) =>
        new(name, [.. groups.Concat(UserInfo.ServiceAccountGroups(name)).Append(UserInfo.AuthenticatedGroup).Distinct(StringComparer.Ordinal)]);

    /// <summary>The Impersonate-User header if present, else the bearer token (which is the user's name), else anonymous.</summary>
    public static string UserName(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers["Impersonate-User"].ToString() is { Length: > 0 } impersonated)
        {
            return impersonated;
        }

        var header = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && header.Length > Prefix.Length
            ? header[Prefix.Length..].Trim()
            : UserInfo.Anonymous;
    }
}
