// A child process of a test or a benchmark: the one way either starts a program. Invariants: output is read
// continuously (a full pipe would stall the child) and the last lines are kept for failure messages; a line
// waited for is matched against what was already printed and what comes; disposing kills the whole process tree,
// so no test leaves a worker, broker, emulator or operator running even when it fails half-way.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Operator.Testing;

/// <summary>A started process with captured output.</summary>
public sealed class LocalProcess : IAsyncDisposable
{
    private const int KeptLines = 300;
    private const string Kill = "/usr/bin/kill";
    private static readonly TimeSpan DisposeTimeout = TimeSpan.FromSeconds(10);
    private readonly Process process;
    private readonly Queue<string> lines = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> waiters = [];
    private readonly Lock gate = new();
    private readonly StreamWriter? log;

    private LocalProcess(string name, Process process, StreamWriter? log)
    {
        Name = name;
        this.process = process;
        this.log = log;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines the process printed, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (gate)
            {
                return string.Join('\n', lines);
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/>; <paramref name="environment"/> entries override (null: remove) inherited
    /// variables; <paramref name="standardInput"/>, when given, is written to its standard input, which is then closed.
    /// </summary>
    /// <param name="logDirectory">When given, every output line is also appended to a file named after the process there.</param>
    public static LocalProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string? standardInput = null, string? logDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
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
        var log = logDirectory is null
            ? null
            : new StreamWriter(Path.Combine(logDirectory, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.log")) { AutoFlush = true };
        var started = new LocalProcess(name, process, log);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} did not start");
        }

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
        var exited = await process.TryWaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return new CommandResult(exited ? process.ExitCode : null, process.Output);
    }

    /// <summary>Waits for the first output line (already printed or still to come) matching <paramref name="pattern"/>.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/>; the message ends with the output.</exception>
    /// <exception cref="InvalidOperationException">The process exited without printing one.</exception>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            foreach (var line in lines)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return match;
                }
            }

            waiters.Add((pattern, found));
        }

        try
        {
            // WaitForExitAsync completes once the output is read to its end, so a line printed just before the exit counts.
            var first = await Task.WhenAny(found.Task, process.WaitForExitAsync(cancellationToken)).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return first == found.Task || found.Task.IsCompleted
                ? await found.Task.ConfigureAwait(false)
                : throw new InvalidOperationException($"{Name} exited (code {process.ExitCode}) without printing a line matching {pattern}; its output ends:{Environment.NewLine}{Output}");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} printed no line matching {pattern} within {timeout}; its output ends:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Sends SIGTERM, as the kubelet does to a container's PID 1 when a pod stops.</summary>
    public async Task TerminateAsync(CancellationToken cancellationToken)
    {
        if (process.HasExited)
        {
            return;
        }

        var result = await RunAsync(Kill, ["-s", "TERM", process.Id.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && !process.HasExited)
        {
            throw new InvalidOperationException($"kill -s TERM {process.Id}: {result}");
        }
    }

    /// <summary>Sends SIGKILL to the whole process tree and waits for it to exit: no cleanup runs.</summary>
    public async Task KillAsync()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for exit; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> TryWaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
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
        await TryWaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false)
            ? process.ExitCode
            : throw new TimeoutException($"{Name} (pid {Id}) still running after {timeout.TotalSeconds:0.#} s; output:\n{Output}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(DisposeTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Exited between the check and the kill, or does not stop even when killed: nothing more to do.
        }

        process.Dispose();
        lock (gate)
        {
            log?.Dispose();
        }
    }

    public override string ToString() => $"{Name} (pid {Id})";

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            log?.WriteLine(line);
            lines.Enqueue(line);
            if (lines.Count > KeptLines)
            {
                lines.Dequeue();
            }

            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Pattern.Match(line) is { Success: true } match)
                {
                    waiters[i].Found.TrySetResult(match);
                    waiters.RemoveAt(i);
                }
            }
        }
    }
}
