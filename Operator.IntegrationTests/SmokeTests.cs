namespace Operator.IntegrationTests;

public sealed class SmokeTests
{
    [Test]
    public void ServeIsNotAnOfflineCommand() => Assert.That(Cli.CliCommands.IsCommand(["serve"]), Is.False);
}
