namespace Operator.Tests;

public sealed class SmokeTests
{
    [Test]
    public void RenderIsAnOfflineCommand() => Assert.That(Cli.CliCommands.IsCommand(["render"]), Is.True);
}
