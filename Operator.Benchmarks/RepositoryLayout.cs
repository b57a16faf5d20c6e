// Where the benchmark finds the executables and manifests it needs: the repository checkout that contains
// celery-operator.sln, found by walking up from the benchmark's own output directory (the test kit's RepositoryRoot).
using Operator.Testing;

namespace Operator.Benchmarks;

/// <summary>Paths inside the repository checkout.</summary>
public sealed record RepositoryLayout(string Root, string? OperatorOverride = null)
{
    /// <summary>The build output, unless --operator names another (the ReadyToRun publish that ships in the image).</summary>
    public string OperatorAssembly => OperatorOverride ?? Path.Combine(Root, "Operator", "bin", "Release", "net10.0", "celery-operator.dll");

    public string EmulatorAssembly => Path.Combine(Root, "Operator.Emulator", "bin", "Release", "net10.0", "Operator.Emulator.dll");

    public string CeleryCrd => Path.Combine(Root, "deploy", "crds", "celeryproject.org_celeries.yaml");

    public string KedaCrds => Path.Combine(Root, "Operator.IntegrationTests", "Reconciliation", "keda-crds.yaml");

    public static RepositoryLayout Find(string? operatorAssembly = null)
    {
        var layout = new RepositoryLayout(RepositoryRoot.Path, operatorAssembly is null ? null : Path.GetFullPath(operatorAssembly));
        foreach (var required in new[] { layout.OperatorAssembly, layout.EmulatorAssembly })
        {
            if (!File.Exists(required))
            {
                throw new FileNotFoundException($"{required} is missing: build the solution with -c Release first (or publish the operator to the --operator path).", required);
            }
        }

        return layout;
    }
}
