using System.Text.Json;
using Microsoft.Extensions.Logging;
using Operator.Runtime.Hosting;

namespace Operator.Tests.Hosting;

[NonParallelizable]
public sealed class OperatorLoggingTests
{
    /// <summary>The scope shape <see cref="Operator.Runtime.Reconcile.Controller"/> opens around each reconcile.</summary>
    [Test]
    public void JsonLinesCarryTheReconcileScope()
    {
        var lines = Capture(LogFormat.Json);

        using var entry = JsonDocument.Parse(lines.Single());
        var root = entry.RootElement;
        Assert.That(root.GetProperty("Message").GetString(), Is.EqualTo("Reconciling with 3 replicas"));
        Assert.That(root.GetProperty("Timestamp").GetString(), Does.EndWith("Z"));
        var scope = root.GetProperty("Scopes").EnumerateArray().Single();
        Assert.That(scope.GetProperty("Controller").GetString(), Is.EqualTo("celeries"));
        Assert.That(scope.GetProperty("Namespace").GetString(), Is.EqualTo("team-a"));
        Assert.That(scope.GetProperty("Name").GetString(), Is.EqualTo("orders"));
    }

    [Test]
    public void TextLinesCarryTheReconcileScopeOnOneLine()
    {
        var line = Capture(LogFormat.Text).Single();

        Assert.That(line, Does.Contain("Reconciling with 3 replicas"));
        Assert.That(line, Does.Contain("=> celeries team-a/orders"));
    }

    private static List<string> Capture(LogFormat format)
    {
        var original = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            using (var factory = LoggerFactory.Create(logging => logging.AddOperatorConsole(format)))
            {
                var logger = factory.CreateLogger("Test");
                using (logger.BeginScope("{Controller} {Namespace}/{Name}", "celeries", "team-a", "orders"))
                {
                    logger.LogInformation("Reconciling with {Replicas} replicas", 3);
                }
            }

            return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
