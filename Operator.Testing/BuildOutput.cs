// Where the projects of this repository put their programs: the same configuration (Debug/Release) the tests were
// built in, so a Debug test run never starts a stale Release operator or emulator.
namespace Operator.Testing;

/// <summary>Paths of programs built from this repository.</summary>
public static class BuildOutput
{
    /// <summary>The configuration of this test assembly's build: the folder above its target framework folder.</summary>
    public static string Configuration { get; } = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;

    /// <summary>The built <paramref name="assembly"/> of <paramref name="project"/>, to run with `dotnet`.</summary>
    public static string Program(string project, string assembly) =>
        Path.Combine(RepositoryRoot.Path, project, "bin", Configuration, "net10.0", assembly);
}
