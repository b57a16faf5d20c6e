namespace Operator.IntegrationTests.Conformance;

/// <summary>Finds files checked into the repository (samples, docs, the test Celery app) from the test output folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = Find();

    public static string Path(params string[] relative) => System.IO.Path.Combine([Root, .. relative]);

    public static string Read(params string[] relative) => File.ReadAllText(Path(relative));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "celery-operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("celery-operator.sln not found above " + AppContext.BaseDirectory);
    }
}
