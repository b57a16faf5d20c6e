namespace Operator.TestSupport;

/// <summary>Finds files checked into the repository from a test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "celery-operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("celery-operator.sln not found above " + AppContext.BaseDirectory);
    }
}
