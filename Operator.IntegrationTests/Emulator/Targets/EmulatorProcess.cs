// The emulator as a separate process (`Operator.Emulator --port 0 --kubeconfig PATH`), as a developer or CI job
// without a cluster runs it, so the kubeconfig target is exercised on every test run. Invariants: started at most
// once per test run, by the first session that needs it (a failed start is reported to every session); it runs
// the simulated Deployment controller and short bookmarks; it is stopped (SIGTERM, then kill) when the run ends.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Emulator.Targets;

/// <summary>A running emulator process and the kubeconfig (user admin, in system:masters) it wrote.</summary>
internal sealed partial class EmulatorProcess : IAsyncDisposable
{
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromMilliseconds(200);

    private static readonly Lazy<Task<EmulatorProcess>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process process;

    private EmulatorProcess(Process process, string kubeconfigPath)
    {
        this.process = process;
        KubeconfigPath = kubeconfigPath;
    }

    public string KubeconfigPath { get; }

    public static async Task<EmulatorProcess> SharedAsync(CancellationToken cancellationToken) =>
        await Shared.Value.WaitAsync(cancellationToken);

    /// <summary>Stops the shared process, if one was started.</summary>
    public static async Task StopSharedAsync()
    {
        if (Shared.IsValueCreated && await Task.WhenAny(Shared.Value) is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        File.Delete(KubeconfigPath);
    }

    private static async Task<EmulatorProcess> StartAsync()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"emulator-process-{Guid.NewGuid():N}.yaml");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            BuildOutput.Program("Operator.Emulator", "Operator.Emulator.dll"), "--port", "0", "--kubeconfig", kubeconfig,
            "--deployment-controller-delay", "100ms", "--bookmark-interval", $"{BookmarkInterval.TotalMilliseconds}ms", "--log-level", "Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            if (ListeningLine().IsMatch(line))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"the emulator process exited: {string.Join('\n', output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new EmulatorProcess(process, kubeconfig);
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    [GeneratedRegex("listening on http://")]
    private static partial Regex ListeningLine();
}

/// <summary>The kubeconfig target against <see cref="EmulatorProcess"/>: what CI runs of the kubeconfig path.</summary>
public sealed class EmulatorProcessTarget : KubeconfigTarget
{
    public override string Name => "emulator-process";

    public override string Category => "EmulatorProcess";

    public override string? Unavailable => KubectlRunner.Installed ? null : $"kubectl is not installed at {KubectlRunner.Executable}";

    public override TimeSpan SettleTimeout => TimeSpan.FromSeconds(20);

    public override TimeSpan BookmarkWait => TimeSpan.FromSeconds(10);

    internal override async Task<string> KubeconfigPathAsync(CancellationToken cancellationToken) =>
        (await EmulatorProcess.SharedAsync(cancellationToken)).KubeconfigPath;
}
