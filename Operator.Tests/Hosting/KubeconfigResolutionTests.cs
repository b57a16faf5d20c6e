using Operator.Runtime.Hosting;

namespace Operator.Tests.Hosting;

/// <summary>Where the operator finds its cluster: kubectl's and controller-runtime's order, and KUBECONFIG lists merged like kubectl.</summary>
public sealed class KubeconfigResolutionTests
{
    private string directory = "";

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string currentContext, params (string Context, string Server)[] contexts)
    {
        var path = Path.Combine(directory, name);
        var text = new System.Text.StringBuilder("apiVersion: v1\nkind: Config\n");
        if (currentContext.Length > 0)
        {
            text.Append("current-context: ").Append(currentContext).Append('\n');
        }

        text.Append("clusters:\n");
        foreach (var (context, server) in contexts)
        {
            text.Append("- name: ").Append(context).Append("\n  cluster:\n    server: ").Append(server).Append('\n');
        }

        text.Append("users:\n");
        foreach (var (context, _) in contexts)
        {
            text.Append("- name: ").Append(context).Append("\n  user:\n    token: t-").Append(context).Append('\n');
        }

        text.Append("contexts:\n");
        foreach (var (context, _) in contexts)
        {
            text.Append("- name: ").Append(context).Append("\n  context:\n    cluster: ").Append(context).Append("\n    user: ").Append(context).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    private string Host(KubernetesConnectionOptions options, string? kubeconfigVariable, bool inCluster = false, string? defaultKubeconfig = null) =>
        options.ToClientConfiguration(
            name => name == "KUBECONFIG" ? kubeconfigVariable : null,
            () => inCluster,
            defaultKubeconfig ?? Path.Combine(directory, "no-home-config")).Host.TrimEnd('/');

    [Test]
    public void AKubeconfigListIsMergedWithTheFirstFileWinningAndMissingFilesSkipped()
    {
        var first = Write("first.yaml", "a", ("a", "https://first-a:6443"));
        var second = Write("second.yaml", "b", ("a", "https://second-a:6443"), ("b", "https://second-b:6443"));
        var list = string.Join(':', Path.Combine(directory, "missing.yaml"), first, second);

        Assert.Multiple(() =>
        {
            Assert.That(Host(new KubernetesConnectionOptions(), list), Is.EqualTo("https://first-a:6443"), "current-context and cluster a come from the first file");
            Assert.That(Host(new KubernetesConnectionOptions { Context = "b" }, list), Is.EqualTo("https://second-b:6443"), "--context picks an entry only the second file has");
            Assert.That(Host(new KubernetesConnectionOptions(), string.Join(':', Write("none.yaml", ""), second)), Is.EqualTo("https://second-b:6443"), "current-context from the first file that sets it");
        });
    }

    [Test]
    public void TheFlagComesFirstThenKubeconfigThenTheClusterThenTheHomeFile()
    {
        var flag = Write("flag.yaml", "f", ("f", "https://flag:6443"));
        var variable = Write("variable.yaml", "v", ("v", "https://variable:6443"));
        var home = Write("home.yaml", "h", ("h", "https://home:6443"));

        Assert.Multiple(() =>
        {
            Assert.That(Host(new KubernetesConnectionOptions { KubeConfigPath = flag }, variable, inCluster: true, home), Is.EqualTo("https://flag:6443"));
            Assert.That(Host(new KubernetesConnectionOptions(), variable, inCluster: true, home), Is.EqualTo("https://variable:6443"));
            Assert.That(Host(new KubernetesConnectionOptions { InCluster = false }, null, inCluster: true, home), Is.EqualTo("https://home:6443"));
            Assert.That(Host(new KubernetesConnectionOptions(), null, inCluster: false, home), Is.EqualTo("https://home:6443"));
        });
    }

    [Test]
    public void ProblemsAreOneLineNamingTheFileOrWhatToDo()
    {
        var broken = Path.Combine(directory, "broken.yaml");
        File.WriteAllText(broken, "clusters: [\n");
        var noContext = Write("other.yaml", "a", ("a", "https://a:6443"));

        Assert.Multiple(() =>
        {
            Assert.That(() => Host(new KubernetesConnectionOptions(), Path.Combine(directory, "missing.yaml")), Throws.TypeOf<ClusterConnectionException>().With.Message.StartsWith("KUBECONFIG: no kubeconfig file found at"));
            Assert.That(() => Host(new KubernetesConnectionOptions { KubeConfigPath = broken }, null), Throws.TypeOf<ClusterConnectionException>().With.Message.Contains("cannot read kubeconfig " + broken));
            Assert.That(() => Host(new KubernetesConnectionOptions { Context = "nope" }, noContext), Throws.TypeOf<ClusterConnectionException>().With.Message.Contains("nope"));
            Assert.That(() => Host(new KubernetesConnectionOptions(), null), Throws.TypeOf<ClusterConnectionException>().With.Message.Contains("no cluster configured"));
        });
    }
}
