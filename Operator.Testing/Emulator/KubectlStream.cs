// A kubectl process that keeps running (get --watch): its standard output is collected line by line so a test can
// wait for a line to appear instead of guessing how long kubectl needs. Disposing kills the process.
using System.Diagnostics;

namespace Operator.Testing;

/// <summary>A long-running kubectl whose output lines can be waited for.</summary>
public sealed class KubectlStream : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly SemaphoreSlim changed = new(0);
    private readonly Task reading;
    private readonly Task<string> errors;

    private KubectlStream(Process process)
    {
        this.process = process;
        errors = process.StandardError.ReadToEndAsync();
        reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                changed.Release();
            }

            changed.Release();
        });
    }

    public static KubectlStream Start(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        process.StandardInput.Close();
        return new KubectlStream(process);
    }

    /// <summary>Every line printed so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    /// <summary>Waits until a printed line satisfies <paramref name="match"/>; throws at the deadline (TimeoutException) or if kubectl exits first (InvalidOperationException).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (reading.IsCompleted)
            {
                throw new InvalidOperationException($"kubectl exited ({process.ExitCode}) before printing the expected line: {await errors}\n{string.Join('\n', Lines)}");
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"kubectl did not print the expected line within {timeout}; output so far:\n{string.Join('\n', Lines)}");
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        process.Dispose();
        changed.Dispose();
    }
}
