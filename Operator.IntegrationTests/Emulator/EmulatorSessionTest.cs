// Base of the emulator test classes that start a fresh emulator for every test: one session per test, disposed
// after it, so faults and audit entries never leak from one test into the next.
using Operator.Emulator.Hosting;

namespace Operator.IntegrationTests.Emulator;

/// <summary>A fresh <see cref="EmulatorSession"/> for each test, started with <paramref name="options"/> (the defaults unless given).</summary>
public abstract class EmulatorSessionTest(EmulatorOptions? options = null)
{
    protected EmulatorSession Session { get; private set; } = null!;

    [SetUp]
    public async Task StartSessionAsync() => Session = await EmulatorSession.StartAsync(options);

    [TearDown]
    public async Task StopSessionAsync()
    {
        if (Session is not null)
        {
            await Session.DisposeAsync();
        }
    }

    /// <summary>Creates an empty ConfigMap in the default namespace.</summary>
    protected Task<V1ConfigMap> CreateConfigMapAsync(string name) =>
        Session.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, "default");
}
