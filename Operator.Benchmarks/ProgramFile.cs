namespace Operator.Benchmarks;

/// <summary>One file of a program to start: where it is, and where it goes relative to the program's directory.</summary>
public sealed record ProgramFile(string Source, string RelativePath)
{
    /// <summary>Every regular file under <paramref name="directory"/>, placed relative to <paramref name="relativeTo"/>; symbolic links are left out.</summary>
    public static IEnumerable<ProgramFile> Under(string directory, string relativeTo) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !File.GetAttributes(f).HasFlag(FileAttributes.ReparsePoint))
            .Select(f => new ProgramFile(f, Path.GetRelativePath(relativeTo, f)));
}
