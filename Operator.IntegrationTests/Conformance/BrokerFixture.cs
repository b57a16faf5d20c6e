// The life of a real broker around a conformance fixture. Invariants: one broker per fixture, started once after
// RequireTools and disposed at the end; every test runs under its own 3-minute timeout and finds the broker running
// (a check may have stopped it).
namespace Operator.IntegrationTests.Conformance;

/// <summary>A fixture that runs against one real broker; derived fixtures say which broker and what else they need.</summary>
public abstract class BrokerFixture
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(3);
    private IBrokerServer? broker;
    private CancellationTokenSource? testTimeout;

    private protected IBrokerServer Broker => broker ?? throw new InvalidOperationException("broker not started");

    private protected CancellationToken Cancellation => testTimeout?.Token ?? CancellationToken.None;

    [OneTimeSetUp]
    public async Task StartBroker()
    {
        RequireTools();
        using var startup = new CancellationTokenSource(TestTimeout);
        broker = await StartBrokerAsync(startup.Token);
    }

    [OneTimeTearDown]
    public async Task StopBroker()
    {
        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    [SetUp]
    public async Task StartTest()
    {
        testTimeout = new CancellationTokenSource(TestTimeout);
        await Broker.StartAsync(Cancellation);
    }

    [TearDown]
    public void EndTest() => testTimeout?.Dispose();

    /// <summary>Skips the fixture (Assert.Ignore or Assume) when a program it needs is missing; Celery by default.</summary>
    private protected virtual void RequireTools() => LocalPrograms.RequireCelery();

    private protected abstract Task<IBrokerServer> StartBrokerAsync(CancellationToken cancellationToken);
}
