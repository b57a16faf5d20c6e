// Invariants: the catalog is replaced as a whole under a lock and read lock-free; (group, version, resource)
// is unique; built-in resources are never removed; a custom resource belongs to exactly one CRD.
using System.Collections.Immutable;

namespace Operator.Emulator.Discovery;

/// <summary>The resources the API server serves: built-ins plus those registered by CRDs.</summary>
public sealed class ResourceCatalog
{
    private readonly Lock gate = new();
    private volatile ImmutableList<ResourceType> resources;

    public ResourceCatalog(IEnumerable<ResourceType> builtIn) => resources = [.. builtIn];

    public IReadOnlyList<ResourceType> All => resources;

    /// <summary>Changes whenever the served resources change (clients use it to invalidate cached OpenAPI).</summary>
    public int Revision { get; private set; }

    public ResourceType? Find(string group, string version, string resource) =>
        resources.Find(type => type.Group == group && type.Version == version && type.Resource == resource);

    /// <summary>Any served version of a kind (the first registered), used to resolve owner references.</summary>
    public ResourceType? FindKind(string group, string kind) =>
        resources.Find(type => type.Group == group && type.Kind == kind);

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        resources.Where(type => type.Group == group && type.Version == version);

    /// <summary>Groups (other than core) in first-registration order, each with its versions, preferred first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var groups = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in resources.Where(type => type.Group.Length > 0).Select(type => type.Group).Distinct())
        {
            var versions = resources.Where(type => type.Group == group).Select(type => type.Version).Distinct()
                .OrderByDescending(VersionPriority).ToList();
            groups.Add((group, versions));
        }

        return groups;
    }

    /// <summary>Replaces every resource a CRD serves (identified by group and plural) with <paramref name="served"/>.</summary>
    public void ReplaceCustom(string group, string plural, IReadOnlyList<ResourceType> served)
    {
        lock (gate)
        {
            resources = resources.RemoveAll(type => type.IsCustom && type.Group == group && type.Resource == plural).AddRange(served);
            Revision++;
        }
    }

    /// <summary>
    /// Kubernetes version priority: GA over beta over alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1 > v1alpha1).
    /// </summary>
    public static int VersionPriority(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version, "^v(\\d+)(?:(alpha|beta)(\\d+))?$");
        if (!match.Success)
        {
            return 0;
        }

        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = match.Groups[2].Value switch { "beta" => 1, "alpha" => 0, _ => 2 };
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (stage * 1_000_000) + (major * 1000) + minor;
    }
}
