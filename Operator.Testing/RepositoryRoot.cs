// Where the checkout is, found from the running assembly's output folder: every test project and the benchmarks run
// from bin/<configuration>/<framework> below the checkout, so the first folder upwards that holds
// celery-operator.sln is the repository root.
namespace Operator.Testing;

/// <summary>Finds files checked into the repository from a test's or the benchmark's output folder.</summary>
public static class RepositoryRoot
{
    private const string SolutionFile = "celery-operator.sln";

    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The checkout's root folder.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the output folder holds the solution file.</exception>
    public static string Path => Root.Value;

    /// <summary>The absolute path of <paramref name="relative"/>, a path from the repository root.</summary>
    public static string File(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"{SolutionFile} not found above {AppContext.BaseDirectory}");
    }
}
