using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Operator.Runtime.Hosting;
using Operator.Runtime.LeaderElection;
using Operator.Runtime.Metrics;
using Operator.Runtime.Reconcile;
using Operator.Runtime.Source;

namespace Operator.Tests.Hosting;

public sealed class OperatorHostBuildTests
{
    private static readonly string[] BaseArgs =
    [
        "--Operator:Kubernetes:Host=http://127.0.0.1:8001",
        "--Operator:ProbePort=0",
        "--Operator:Metrics:Port=0",
        "--Operator:BindAddress=127.0.0.1",
        "--Operator:ShutdownTimeout=00:00:20",
        "--Operator:LeaderElection:Identity=test",
    ];

    [Test]
    public async Task TheSharedServicesAreRegisteredFromConfiguration()
    {
        var seen = new List<IConfiguration>();
        await using var app = OperatorHost.Build([.. BaseArgs, "--Operator:MaxConcurrentReconciles=3"], (_, configuration) => seen.Add(configuration));
        var services = app.Services;

        Assert.That(seen, Has.Count.EqualTo(1), "the domain registers its modules with the configuration at hand");
        Assert.That(services.GetRequiredService<Kubernetes>().BaseUri, Is.EqualTo(new Uri("http://127.0.0.1:8001/")));
        Assert.That(services.GetRequiredService<IKubernetes>(), Is.SameAs(services.GetRequiredService<Kubernetes>()));
        Assert.That(services.GetRequiredService<ControllerOptions>().MaxConcurrentReconciles, Is.EqualTo(3));
        Assert.That(services.GetRequiredService<InformerOptions>(), Is.Not.Null);
        Assert.That(services.GetRequiredService<IListWatchClient>(), Is.Not.Null);
        Assert.That(services.GetRequiredService<RuntimeMetrics>(), Is.Not.Null);
        Assert.That(services.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
        Assert.That(services.GetRequiredService<LeaderElectionOptions>().Identity, Is.EqualTo("test"));
        Assert.That(services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(20 + 10 + 5)));
        Assert.That(services.GetRequiredService<ControllerModules>().Modules, Is.Empty);
    }

    [Test]
    public async Task ModulesAreBuiltOnceFromTheirFactories()
    {
        var built = 0;
        await using var app = OperatorHost.Build(BaseArgs, (services, _) => services.AddControllerModule(_ =>
        {
            built++;
            return new EmptyModule("empty");
        }));

        var first = app.Services.GetRequiredService<ControllerModules>();
        var second = app.Services.GetRequiredService<ControllerModules>();

        Assert.That(first, Is.SameAs(second));
        Assert.That(first.Modules.Single().Name, Is.EqualTo("empty"));
        Assert.That(built, Is.EqualTo(1));
    }

    [Test]
    public async Task TwoModulesWithOneNameAreRejected()
    {
        await using var app = OperatorHost.Build(BaseArgs, (services, _) =>
        {
            services.AddControllerModule(_ => new EmptyModule("same"));
            services.AddControllerModule(_ => new EmptyModule("same"));
        });

        Assert.That(() => app.Services.GetRequiredService<ControllerModules>(), Throws.InvalidOperationException);
    }

    [TestCase("json", "json")]
    [TestCase("text", "simple")]
    public async Task LogFormatPicksTheConsoleFormatterAndScopesAreWritten(string format, string formatter)
    {
        await using var app = OperatorHost.Build([.. BaseArgs, $"--Operator:LogFormat={format}"], (_, _) => { });
        var services = app.Services;

        Assert.That(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName, Is.EqualTo(formatter));
        var scopes = formatter == "json"
            ? services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes
            : services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.IncludeScopes;
        Assert.That(scopes, Is.True, "the reconcile key in scope appears on every line");
    }

    private sealed class EmptyModule(string name) : IControllerModule
    {
        public string Name => name;

        public IReadOnlyList<IInformer> Informers => [];

        public Task RunAsLeaderAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
    }
}
