// A child process of a test. Invariants: output is captured (the last lines are kept for failure messages),
// and disposing kills the whole process tree, so no test leaves a worker, broker or beat running even when
// it fails half-way.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Operator.IntegrationTests.Conformance;

/// <summary>The outcome of a command run to completion (or stopped at its timeout).</summary>
internal sealed record CommandResult(int? ExitCode, string Output)
{
    public bool TimedOut => ExitCode is null;

    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"{(TimedOut ? "timed out" : "exit " + ExitCode)}: {Output}";
}

/// <summary>A started process with captured output.</summary>
internal sealed class LocalProcess : IAsyncDisposable
{
    private const int KeptLines = 300;
    private const string Kill = "/usr/bin/kill";
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private LocalProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines the process printed, stdout and stderr interleaved.</summary>
    public string Output => string.Join('\n', lines);

    /// <summary>
    /// Starts <paramref name="fileName"/>; <paramref name="environment"/> entries override (null: remove) inherited
    /// variables; <paramref name="standardInput"/>, when given, is written to its standard input, which is then closed.
    /// </summary>
    public static LocalProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string? standardInput = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new LocalProcess(name, process);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        return started;
    }

    /// <summary>Runs a command to completion; past <paramref name="timeout"/> it is killed and reported as timed out.</summary>
    public static async Task<CommandResult> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken, string? standardInput = null)
    {
        await using var process = Start(Path.GetFileName(fileName), fileName, arguments, environment, workingDirectory, standardInput);
        var exited = await process.TryWaitForExitAsync(timeout, cancellationToken);
        return new CommandResult(exited ? process.ExitCode : null, process.Output);
    }

    /// <summary>Sends SIGTERM, as the kubelet does to a container's PID 1 when a pod stops.</summary>
    public async Task TerminateAsync(CancellationToken cancellationToken)
    {
        if (process.HasExited)
        {
            return;
        }

        var result = await RunAsync(Kill, ["-s", "TERM", process.Id.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(10), cancellationToken);
        if (!result.Succeeded && !process.HasExited)
        {
            throw new InvalidOperationException($"kill -s TERM {process.Id}: {result}");
        }
    }

    /// <summary>Waits for exit; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> TryWaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits for exit and returns the exit code.</summary>
    /// <exception cref="TimeoutException">The process still ran after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await TryWaitForExitAsync(timeout, cancellationToken)
            ? process.ExitCode
            : throw new TimeoutException($"{Name} (pid {Id}) still running after {timeout.TotalSeconds:0.#} s; output:\n{Output}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        process.Dispose();
    }

    public override string ToString() => $"{Name} (pid {Id})";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > KeptLines && lines.TryDequeue(out _))
        {
        }
    }
}
