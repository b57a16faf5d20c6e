// The emulator as a separate process (`Operator.Emulator --port 0 --kubeconfig PATH`), as a developer or CI job
// without a cluster runs it; the in-process twin is EmulatorSession. Invariants: started at most once per test run,
// by the first session that needs it (a failed start is reported to every session); it runs the simulated
// Deployment controller and short bookmarks; it is stopped (SIGTERM, then kill) when the run ends.
using System.Text.RegularExpressions;

namespace Operator.Testing;

/// <summary>A running emulator process and the kubeconfig (user admin, in system:masters) it wrote.</summary>
public sealed partial class EmulatorProcess : IAsyncDisposable
{
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private static readonly Lazy<Task<EmulatorProcess>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly LocalProcess process;

    private EmulatorProcess(LocalProcess process, string kubeconfigPath)
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
        await process.TerminateAsync(CancellationToken.None);
        await process.TryWaitForExitAsync(StopTimeout, CancellationToken.None);
        await process.DisposeAsync();
        File.Delete(KubeconfigPath);
    }

    // The shared process is started once per run and its failure fails every test on it, so a start that prints
    // nothing in time (a test host briefly starved of threads, a machine busy with the run's first fixtures) is
    // retried once with a fresh process before it counts.
    private static async Task<EmulatorProcess> StartAsync()
    {
        try
        {
            return await StartOnceAsync();
        }
        catch (TimeoutException)
        {
            return await StartOnceAsync();
        }
    }

    private static async Task<EmulatorProcess> StartOnceAsync()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"emulator-process-{Guid.NewGuid():N}.yaml");
        var process = LocalProcess.Start("emulator", "dotnet",
        [
            BuildOutput.Program("Operator.Emulator", "Operator.Emulator.dll"), "--port", "0", "--kubeconfig", kubeconfig,
            "--deployment-controller-delay", "100ms", "--bookmark-interval", $"{BookmarkInterval.TotalMilliseconds}ms", "--log-level", "Warning",
        ], new Dictionary<string, string?>(), Path.GetTempPath());
        var running = new EmulatorProcess(process, kubeconfig);
        try
        {
            await process.WaitForLineAsync(ListeningLine(), TimeSpan.FromSeconds(60), CancellationToken.None);
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
