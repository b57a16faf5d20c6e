// URL grammar (kube-apiserver's resource paths):
//   /api/v1/...  or  /apis/{group}/{version}/...  followed by
//   {resource}[/{name}[/{subresource}]]                      (cluster scope, or all namespaces for a list/watch)
//   namespaces/{namespace}/{resource}[/{name}[/{subresource}]]
// "namespaces/{name}/{x}" is a namespaced collection when x is a namespaced resource of that group/version,
// otherwise the subresource x of the namespace {name}.
using Operator.Emulator.Discovery;

namespace Operator.Emulator.Api;

/// <summary>The resource a request addresses.</summary>
public sealed record RequestTarget(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Group and version of a resource path, whether or not the resource exists.</summary>
    public static (string Group, string Version, string[] Remainder)? SplitGroupVersion(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length >= 2 && segments[0] == "api")
        {
            return ("", segments[1], segments[2..]);
        }

        if (segments.Length >= 3 && segments[0] == "apis")
        {
            return (segments[1], segments[2], segments[3..]);
        }

        return null;
    }

    /// <summary>The target of a resource path; null when the path names no served resource.</summary>
    public static RequestTarget? Parse(string path, ResourceCatalog catalog)
    {
        if (SplitGroupVersion(path) is not var (group, version, rest) || rest.Length == 0)
        {
            return null;
        }

        string? inNamespace = null;
        if (rest[0] == "namespaces" && rest.Length >= 3 && catalog.Find(group, version, rest[2]) is { Namespaced: true })
        {
            inNamespace = Uri.UnescapeDataString(rest[1]);
            rest = rest[2..];
        }

        if (rest.Length > 3)
        {
            return null;
        }

        var type = catalog.Find(group, version, rest[0]);
        if (type is null)
        {
            return null;
        }

        var name = rest.Length >= 2 ? Uri.UnescapeDataString(rest[1]) : null;
        var subresource = rest.Length == 3 ? rest[2] : null;
        if (subresource is not null && !(subresource == "status" && type.HasStatus) && !(subresource == "scale" && type.Scale is not null))
        {
            return null;
        }

        return new RequestTarget(type, inNamespace, name, subresource);
    }
}
