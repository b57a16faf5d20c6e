// Renders the shipped manifests the way an installer does: `kubectl kustomize` over a directory and
// `helm template` over the chart. Helm comes from .tools/bin/helm (scripts/install-helm.sh) or $HELM; tests that
// need it are ignored, with the command to install it, when neither exists. The chart is rendered from a copy
// whose Chart.yaml has no dependency list, as scripts/check-manifests.sh does, so rendering needs no network
// (KEDA is a conditional dependency, disabled by default). Every run has a deadline.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Packaging;

internal sealed record RenderResult(int ExitCode, string Output, string Error);

internal static partial class ManifestRenderer
{
    public const string ChartPath = "deploy/helm/celery-operator";
    private const string Kubectl = "/usr/bin/kubectl";

    public static string? Helm
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("HELM");
            if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
            {
                return configured;
            }

            var local = RepositoryRoot.File(".tools/bin/helm");
            return File.Exists(local) ? local : null;
        }
    }

    public static void RequireKubectl()
    {
        if (!File.Exists(Kubectl))
        {
            Assert.Ignore($"kubectl is not installed at {Kubectl}; kustomize output cannot be rendered.");
        }
    }

    public static string RequireHelm() =>
        Helm ?? throw new IgnoreException("helm is not installed: run scripts/install-helm.sh (it puts helm in .tools/bin) or set HELM.");

    public static async Task<ManifestSet> KustomizeAsync(string directory)
    {
        RequireKubectl();
        var result = await RunAsync(Kubectl, ["kustomize", RepositoryRoot.File(directory)]);
        Assert.That(result.ExitCode, Is.Zero, $"kubectl kustomize {directory} failed: {result.Error}");
        return ManifestSet.Parse(result.Output);
    }

    /// <summary>Runs helm template on an offline copy of the chart with the given values files and --set pairs.</summary>
    public static async Task<RenderResult> HelmTemplateAsync(IEnumerable<string> valuesFiles, params string[] sets)
    {
        var helm = RequireHelm();
        var copy = Path.Combine(Path.GetTempPath(), $"celery-operator-chart-{Guid.NewGuid():N}", "celery-operator");
        try
        {
            CopyDirectory(RepositoryRoot.File(ChartPath), copy);
            var chartYaml = Path.Combine(copy, "Chart.yaml");
            await File.WriteAllTextAsync(chartYaml, WithoutDependencies(await File.ReadAllTextAsync(chartYaml)));
            var arguments = new List<string> { "template", "celery-operator", copy, "--namespace", "celery-operator" };
            foreach (var values in valuesFiles)
            {
                arguments.AddRange(["-f", RepositoryRoot.File(values)]);
            }

            foreach (var set in sets)
            {
                arguments.AddRange(["--set", set]);
            }

            return await RunAsync(helm, arguments);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }

    public static async Task<ManifestSet> HelmManifestsAsync(string? valuesFile = null, params string[] sets)
    {
        var result = await HelmTemplateAsync(valuesFile is null ? [] : [valuesFile], sets);
        Assert.That(result.ExitCode, Is.Zero, $"helm template failed: {result.Error}");
        return ManifestSet.Parse(result.Output);
    }

    /// <summary>Chart.yaml without its top-level dependencies block.</summary>
    public static string WithoutDependencies(string chartYaml) => DependenciesBlock().Replace(chartYaml, string.Empty);

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (!relative.StartsWith("charts" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && relative != "Chart.lock")
            {
                File.Copy(file, Path.Combine(target, relative));
            }
        }
    }

    private static async Task<RenderResult> RunAsync(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var result = await SeparatedOutputCommand.RunAsync(start, TimeSpan.FromSeconds(60));
        return new RenderResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    [GeneratedRegex(@"^dependencies:[^\n]*\n(?:(?:[ \t#-][^\n]*)?\n)*", RegexOptions.Multiline)]
    private static partial Regex DependenciesBlock();
}
