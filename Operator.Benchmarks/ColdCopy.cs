// A fresh copy of a program's files for a cold start: written to a new directory, flushed to disk and then dropped
// from the page cache (posix_fadvise DONTNEED), so the first process started from it reads its files from disk as the
// first start of a newly pulled image does, and no path it loads has been run before. Shared runtimes (the .NET
// installation, the Node.js binary) are not copied: other processes on the machine map them, and the kernel keeps
// mapped pages whatever the advice. Invariant: Dispose deletes the directory.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Operator.Benchmarks;

/// <summary>A directory holding an evicted copy of another one.</summary>
public sealed class ColdCopy : IDisposable
{
    private const int PosixFadviseDontNeed = 4;

    private ColdCopy(string path) => Path = path;

    public string Path { get; }

    /// <summary>Copies each file to its path relative to the new directory, and evicts the copy.</summary>
    public static ColdCopy Of(IEnumerable<ProgramFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var copy = new ColdCopy(Directory.CreateTempSubdirectory("celery-benchmark-cold-").FullName);
        try
        {
            foreach (var file in files)
            {
                var destination = System.IO.Path.Combine(copy.Path, file.RelativePath);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
                File.Copy(file.Source, destination);
                Evict(destination);
            }

            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    // Written pages are dirty and cannot be dropped: flush them first.
    private static void Evict(string file)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.FlushToDisk(handle);
        var result = PosixFadvise(handle, 0, 0, PosixFadviseDontNeed);
        if (result != 0)
        {
            throw new IOException($"posix_fadvise(DONTNEED) failed on {file} with error {result}");
        }
    }

    // Returns the error number (not -1 and errno).
    [DllImport("libc", EntryPoint = "posix_fadvise")]
    private static extern int PosixFadvise(SafeFileHandle handle, long offset, long length, int advice);
}
