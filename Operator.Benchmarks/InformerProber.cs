// The informers the informer-peer scenario times: the operator's own (Operator.InformerProbe, published ReadyToRun)
// and @kubernetes/client-node's (client-node/informer-probe.mjs with Node.js 22). Both print the same JSON line
// (ProbeResult). Each names the files a cold copy of it holds and how it is started from such a copy; the runtimes
// themselves (dotnet, node) run from where they are installed.
namespace Operator.Benchmarks;

/// <summary>One informer program: its files and its command line, given the directory of a copy of those files.</summary>
public sealed record InformerProber(string Name, IReadOnlyList<ProgramFile> Files, string FileName, Func<string, IReadOnlyList<string>> Arguments)
{
    private const string ProbeScript = "informer-probe.mjs";

    /// <summary>The operator's informer: every file of the published directory holding <paramref name="assembly"/>, run with `dotnet`.</summary>
    public static InformerProber Operator(string name, string assembly)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(assembly))!;
        var file = Path.GetFileName(assembly);
        return new InformerProber(name, [.. ProgramFile.Under(directory, directory)], "dotnet", copy => [Path.Combine(copy, file)]);
    }

    /// <summary>
    /// client-node's informer: the script beside the installed node_modules (Node.js itself, the `node` package, is run
    /// from where it was installed). Null when the client or Node.js is not installed in <paramref name="toolsDirectory"/>.
    /// </summary>
    public static InformerProber? ClientNode(string toolsDirectory)
    {
        var modules = Path.Combine(toolsDirectory, "node_modules");
        var node = Path.Combine(modules, "node", "bin", "node");
        if (!File.Exists(node) || !Directory.Exists(Path.Combine(modules, "@kubernetes", "client-node")))
        {
            return null;
        }

        var runtime = Path.Combine(modules, "node") + Path.DirectorySeparatorChar;
        var links = Path.Combine(modules, ".bin") + Path.DirectorySeparatorChar;
        IReadOnlyList<ProgramFile> files =
        [
            new ProgramFile(Path.Combine(AppContext.BaseDirectory, "client-node", ProbeScript), ProbeScript),
            .. ProgramFile.Under(modules, toolsDirectory)
                .Where(f => !f.Source.StartsWith(runtime, StringComparison.Ordinal) && !f.Source.StartsWith(links, StringComparison.Ordinal)),
        ];
        return new InformerProber("client-node", files, node, copy => [Path.Combine(copy, ProbeScript)]);
    }
}
