// What the authorizer decides on, derived from the request alone as kube-apiserver's RequestInfoFactory does it,
// without knowing which resources exist (so an unknown resource is still a resource request, answered 403 before
// 404). Rules:
//   - /api/{version}/... and /apis/{group}/{version}/... with at least a resource segment are resource requests;
//     every other path (/api, /apis/{group}/{version}, /version, /healthz, /openapi/v3) is a non-resource request
//     whose verb is the lower-case HTTP method.
//   - namespaces/{ns}/{resource}[/{name}[/{subresource}]] sets the namespace; namespaces/{name}[/status|/finalize]
//     is the namespace object, whose namespace attribute is its own name (as in Kubernetes).
//   - verb by method: GET/HEAD get, or list/watch without a name (watch=true|1); POST create; PUT update; PATCH
//     patch; DELETE delete, or deletecollection without a name. A list or watch whose fieldSelector pins
//     metadata.name carries that name.
namespace Operator.Emulator.Authorization;

/// <summary>One authorization question: may this user do this verb to this resource (or path)?</summary>
public sealed record AuthorizationAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string Path,
    string Group = "",
    string Version = "",
    string Resource = "",
    string? Subresource = null,
    string? Namespace = null,
    string? Name = null)
{
    /// <summary>"resource" or "resource/subresource", as RBAC rules name it.</summary>
    public string CombinedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    /// <summary>The same request asked about another verb (a create through an apply patch, for instance).</summary>
    public AuthorizationAttributes WithVerb(string verb) => this with { Verb = verb };

    /// <summary>kube-apiserver's wording of a denial.</summary>
    public string ForbiddenMessage() => !IsResourceRequest
        ? $"User \"{User.Name}\" cannot {Verb} path \"{Path}\""
        : Namespace is { Length: > 0 }
            ? $"User \"{User.Name}\" cannot {Verb} resource \"{CombinedResource}\" in API group \"{Group}\" in the namespace \"{Namespace}\""
            : $"User \"{User.Name}\" cannot {Verb} resource \"{CombinedResource}\" in API group \"{Group}\" at the cluster scope";

    public override string ToString() => IsResourceRequest
        ? $"{User.Name}: {Verb} {(Group.Length == 0 ? "core" : Group)}/{CombinedResource}{(Name is null ? "" : " " + Name)}{(Namespace is null ? "" : " in " + Namespace)}"
        : $"{User.Name}: {Verb} {Path}";

    public static AuthorizationAttributes FromRequest(UserInfo user, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Value ?? "/";
        var nonResource = new AuthorizationAttributes(user, request.Method.ToLowerInvariant(), false, path);
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || parts[0] is not ("api" or "apis"))
        {
            return nonResource;
        }

        string group, version;
        string[] rest;
        if (parts[0] == "api")
        {
            (group, version, rest) = ("", parts[1], parts[2..]);
        }
        else if (parts.Length >= 4)
        {
            (group, version, rest) = (parts[1], parts[2], parts[3..]);
        }
        else
        {
            return nonResource;
        }

        rest = [.. rest.Select(Uri.UnescapeDataString)];
        string? inNamespace = null;
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            inNamespace = rest[1];
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
            }
        }

        var name = rest.Length >= 2 ? rest[1] : null;
        var subresource = rest.Length >= 3 ? rest[2] : null;
        var verb = VerbOf(request, name is not null);
        if (name is null && verb is "list" or "watch" && NameFromFieldSelector(request.Query["fieldSelector"].ToString()) is { } pinned)
        {
            name = pinned;
        }

        return new AuthorizationAttributes(user, verb, true, path, group, version, rest[0], subresource, inNamespace, name);
    }

    private static string VerbOf(HttpRequest request, bool named)
    {
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            if (named)
            {
                return "get";
            }

            return request.Query["watch"].ToString() is "true" or "1" ? "watch" : "list";
        }

        return method.ToUpperInvariant() switch
        {
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => string.Empty,
        };
    }

    // "metadata.name=x" or "metadata.name==x" among comma-separated requirements.
    private static string? NameFromFieldSelector(string selector)
    {
        foreach (var requirement in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = requirement.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || requirement[equals - 1] == '!')
            {
                continue;
            }

            var value = requirement[(equals + 1)..].TrimStart('=').Trim();
            if (requirement[..equals].Trim() == "metadata.name" && value.Length > 0)
            {
                return value;
            }
        }

        return null;
    }
}
