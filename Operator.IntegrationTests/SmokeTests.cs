namespace Operator.IntegrationTests;

public sealed class SmokeTests
{
    [Test]
    public void ServeIsNotAnOfflineCommand() =>
        Assert.That(Cli.OperatorCommandLine.Parse(["serve"], (_, _) => Task.FromResult(0)).CommandResult.Command.Name, Is.EqualTo(Cli.OperatorCommandLine.Name));
}
