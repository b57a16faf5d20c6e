// Reads and merges kubeconfig files the way kubectl and client-go do for a KUBECONFIG list: files that do not exist
// are skipped, and for every cluster, user and context (by name), and for current-context, the first file that sets
// it wins. Paths inside a file (certificate-authority, client-certificate, client-key) are relative to that file, so
// they are made absolute before merging. KubernetesClient merges a list only from the process environment and
// without a context override, hence this small reader on a single-file loader (KubeconfigYaml).
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Operator.Runtime.Hosting;

/// <summary>Loads one kubeconfig or merges several into one client configuration.</summary>
public static class KubeconfigFiles
{
    /// <summary>Builds the client configuration from <paramref name="paths"/> merged (first wins), at <paramref name="context"/> or the current context.</summary>
    /// <exception cref="ClusterConnectionException">No file could be read, one is malformed, or the context is unusable.</exception>
    public static KubernetesClientConfiguration Load(IReadOnlyList<string> paths, string? context, string origin)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var existing = paths.Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            throw new ClusterConnectionException($"{origin}: no kubeconfig file found at {string.Join(", ", paths)}");
        }

        K8SConfiguration? merged = null;
        foreach (var path in existing)
        {
            var file = Read(path, origin);
            merged = merged is null ? file : Merge(merged, file);
        }

        var contextName = string.IsNullOrEmpty(context) ? merged!.CurrentContext : context;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new ClusterConnectionException($"{origin}: {string.Join(", ", existing)} sets no current-context; pass --context");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(merged!, contextName);
        }
        catch (KubeConfigException e)
        {
            throw new ClusterConnectionException($"{origin}: {string.Join(", ", existing)}: {e.Message}", e);
        }
    }

    private static K8SConfiguration Read(string path, string origin)
    {
        K8SConfiguration file;
        try
        {
            file = KubeconfigYaml.Read(path)!;
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new ClusterConnectionException($"{origin}: cannot read kubeconfig {path}: {FirstLine(e.Message)}", e);
        }

        if (file is null)
        {
            throw new ClusterConnectionException($"{origin}: kubeconfig {path} is empty");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var cluster in file.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthority = Absolute(directory, endpoint.CertificateAuthority);
            }
        }

        foreach (var user in file.Users ?? [])
        {
            if (user.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = Absolute(directory, credentials.ClientCertificate);
                credentials.ClientKey = Absolute(directory, credentials.ClientKey);
            }
        }

        return file;
    }

    private static K8SConfiguration Merge(K8SConfiguration first, K8SConfiguration next)
    {
        first.CurrentContext = string.IsNullOrEmpty(first.CurrentContext) ? next.CurrentContext : first.CurrentContext;
        first.Clusters = FirstByName(first.Clusters, next.Clusters, c => c.Name);
        first.Users = FirstByName(first.Users, next.Users, u => u.Name);
        first.Contexts = FirstByName(first.Contexts, next.Contexts, c => c.Name);
        return first;
    }

    private static List<T> FirstByName<T>(IEnumerable<T>? first, IEnumerable<T>? next, Func<T, string> name)
    {
        var merged = new List<T>(first ?? []);
        var names = new HashSet<string>(merged.Select(name), StringComparer.Ordinal);
        merged.AddRange((next ?? []).Where(item => names.Add(name(item))));
        return merged;
    }

    private static string? Absolute(string directory, string? path) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.Combine(directory, path);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
