namespace Operator.Emulator.Api;

/// <summary>
/// Who is calling: the Impersonate-User header if present (kubectl over plain HTTP), else the bearer token, which is
/// the user name (the emulator's kubeconfig writes both); anyone else is system:anonymous. There is no authorization:
/// every user may do everything.
/// </summary>
public static class RequestIdentity
{
    public const string Anonymous = "system:anonymous";

    public static string User(HttpRequest request)
    {
        if (request.Headers["Impersonate-User"].ToString() is { Length: > 0 } impersonated)
        {
            return impersonated;
        }

        var header = request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && header.Length > Prefix.Length
            ? header[Prefix.Length..].Trim()
            : Anonymous;
    }

    /// <summary>The field manager of a request without ?fieldManager: the user agent up to its first '/'.</summary>
    public static string DefaultFieldManager(HttpRequest request)
    {
        var agent = request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        var manager = slash > 0 ? agent[..slash] : agent;
        return manager.Length == 0 ? "unknown" : manager;
    }
}
