// Base of the host tests against FakeKubernetesApi: a fresh API and timeline for every test, stopped after it.
// Unscripted watches end every 2 s, as a server's watch timeout ends them, so every test also runs the hosts'
// watch resumption.
namespace Operator.IntegrationTests.Hosting;

/// <summary>A fresh <see cref="FakeKubernetesApi"/> and <see cref="Timeline"/> for each test.</summary>
public abstract class FakeApiHostTest
{
    private static readonly TimeSpan WatchLifetime = TimeSpan.FromSeconds(2);

    protected FakeKubernetesApi Api { get; private set; } = null!;

    internal Timeline Timeline { get; private set; } = null!;

    [SetUp]
    public async Task StartApiAsync()
    {
        Api = await FakeKubernetesApi.StartAsync();
        Api.ConfigMaps.WatchLifetime = WatchLifetime;
        Timeline = new Timeline();
    }

    [TearDown]
    public async Task StopApiAsync() => await Api.DisposeAsync();
}
