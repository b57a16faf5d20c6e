// A program run to completion whose standard output and standard error are read apart (kubectl, helm, kustomize:
// a test parses the one and reports the other). Invariants: both streams are drained while the program runs (a
// full pipe would stall it); past the timeout the process tree is killed and the wait ends in an
// OperationCanceledException, so no run outlives its test.
using System.Diagnostics;

namespace Operator.Testing;

/// <summary>What a program wrote to each stream, and its exit code.</summary>
public sealed record SeparatedOutput(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a program to completion with its two output streams kept apart.</summary>
public static class SeparatedOutputCommand
{
    /// <summary>Runs <paramref name="start"/> (its redirections are set here), writing <paramref name="standardInput"/> to it.</summary>
    /// <exception cref="OperationCanceledException">It still ran after <paramref name="timeout"/>; it was killed.</exception>
    public static async Task<SeparatedOutput> RunAsync(ProcessStartInfo start, TimeSpan timeout, string? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        using var deadline = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new SeparatedOutput(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
