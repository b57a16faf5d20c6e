// The emulator as a process: dotnet run --project Operator.Emulator -- --port 6443 --kubeconfig out.yaml
// (--help lists every option). It serves until interrupted (Ctrl+C or SIGTERM).
using System.Runtime.InteropServices;
using Operator.Emulator.Hosting;

var parsed = EmulatorCommandLine.Parse(args);
if (parsed.ShowHelp)
{
    await Console.Out.WriteLineAsync(EmulatorCommandLine.Usage).ConfigureAwait(false);
    return 0;
}

if (parsed.Error is not null)
{
    foreach (var error in parsed.Error.Split('\n'))
    {
        await Console.Error.WriteLineAsync($"{EmulatorCommandLine.Name}: {error}").ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync($"Run '{EmulatorCommandLine.Name} --help' for usage.").ConfigureAwait(false);
    return 2;
}

using var shutdown = new CancellationTokenSource();
void RequestShutdown(PosixSignalContext signal)
{
    signal.Cancel = true;
    shutdown.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestShutdown);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestShutdown);

await using var emulator = await KubernetesEmulator.StartAsync(parsed.Options!, shutdown.Token).ConfigureAwait(false);
if (parsed.KubeconfigPath is { } kubeconfig)
{
    emulator.WriteKubeconfig(kubeconfig, parsed.User);
}

Console.WriteLine($"Kubernetes API emulator listening on {emulator.BaseAddress}");
try
{
    await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
    // Interrupted: dispose stops the server.
}

return 0;
