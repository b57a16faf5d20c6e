namespace Operator.Emulator.Api;

/// <summary>What a request says of its client beyond its identity (see <see cref="Authorization.UserDirectory"/>).</summary>
public static class RequestIdentity
{
    /// <summary>The field manager of a request without ?fieldManager: the user agent up to its first '/'.</summary>
    public static string DefaultFieldManager(HttpRequest request)
    {
        var agent = request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        var manager = slash > 0 ? agent[..slash] : agent;
        return manager.Length == 0 ? "unknown" : manager;
    }
}
