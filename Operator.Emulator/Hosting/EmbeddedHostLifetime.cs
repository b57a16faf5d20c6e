
namespace Operator.Emulator.Hosting;

/// <summary>
/// The emulator is a library first: it must not take over the process' Ctrl+C or SIGTERM handling (which the default
/// console lifetime does). The executable handles signals itself and disposes the emulator.
/// </summary>
internal sealed class EmbeddedHostLifetime : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
