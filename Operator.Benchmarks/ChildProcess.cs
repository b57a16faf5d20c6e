// A .NET executable started as a separate process for the duration of a run. Invariants: its output is read
// continuously (a full pipe would stall it) and the last lines are kept for failure reports; disposing kills
// the whole process tree and waits for it, so no run leaves a process behind.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Operator.Benchmarks;

/// <summary>A running <c>dotnet &lt;assembly&gt;</c> process with its recent output.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process process;
    private readonly Queue<string> recent = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> waiters = [];
    private readonly Lock gate = new();
    private readonly StreamWriter? log;

    private ChildProcess(Process process, string name, StreamWriter? log)
    {
        this.process = process;
        this.log = log;
        Name = name;
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <param name="logDirectory">When given, every output line is also appended to a file named after the process there.</param>
    public static ChildProcess Start(string name, string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? logDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var log = logDirectory is null
            ? null
            : new StreamWriter(Path.Combine(logDirectory, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.log")) { AutoFlush = true };
        var child = new ChildProcess(process, name, log);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name} did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the first output line (past or future) matching <paramref name="pattern"/>.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            foreach (var line in recent)
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
            return await found.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} printed no line matching {pattern} within {timeout}; its output ends:{Environment.NewLine}{RecentOutput()}");
        }
    }

    public string RecentOutput()
    {
        lock (gate)
        {
            return string.Join(Environment.NewLine, recent);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone, or not stopping: nothing more a benchmark can do about it.
        }

        process.Dispose();
        lock (gate)
        {
            log?.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            log?.WriteLine(line);
            recent.Enqueue(line);
            if (recent.Count > KeptLines)
            {
                recent.Dequeue();
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
