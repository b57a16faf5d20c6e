using Operator.Emulator.Hosting;

namespace Operator.Tests.Emulator;

// The emulator's duration options keep every form they accepted before the codebase shared one duration parser
// ("250ms", "2s", "1m", "1h", a plain number of seconds), and now also read the hh:mm:ss form --help prints as a default.
public sealed class EmulatorCommandLineDurationTests
{
    private static IEnumerable<TestCaseData> AcceptedDelays()
    {
        yield return new TestCaseData("250ms", TimeSpan.FromMilliseconds(250));
        yield return new TestCaseData("2s", TimeSpan.FromSeconds(2));
        yield return new TestCaseData("1m", TimeSpan.FromMinutes(1));
        yield return new TestCaseData("1h", TimeSpan.FromHours(1));
        yield return new TestCaseData("0.5", TimeSpan.FromMilliseconds(500));
        yield return new TestCaseData("0", TimeSpan.Zero);
        yield return new TestCaseData("00:00:03", TimeSpan.FromSeconds(3));
    }

    [TestCaseSource(nameof(AcceptedDelays))]
    public void DeploymentControllerDelayReadsEveryDurationForm(string text, TimeSpan expected)
    {
        var parsed = EmulatorCommandLine.Parse(["--deployment-controller-delay", text]);
        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Options!.DeploymentControllerDelay, Is.EqualTo(expected));
    }

    [TestCase("2s", 2)]
    [TestCase("00:01:00", 60)]
    public void BookmarkIntervalReadsDurations(string text, int seconds) =>
        Assert.That(EmulatorCommandLine.Parse(["--bookmark-interval", text]).Options!.BookmarkInterval, Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase("--deployment-controller-delay", "-1s")]
    [TestCase("--deployment-controller-delay", "soon")]
    [TestCase("--bookmark-interval", "0s")]
    [TestCase("--bookmark-interval", "5x")]
    public void RefusesABadDurationNamingTheOption(string option, string text)
    {
        var parsed = EmulatorCommandLine.Parse([option, text]);
        Assert.That(parsed.Options, Is.Null);
        Assert.That(parsed.Error, Does.Contain(option).And.Contain(text));
    }

    [Test]
    public void TheDefaultBookmarkIntervalHelpPrintsIsAcceptedBack()
    {
        var printed = EmulatorCommandLine.Usage.Split('\n').Single(line => line.TrimStart().StartsWith("--bookmark-interval", StringComparison.Ordinal));
        var value = printed[(printed.IndexOf("[default: ", StringComparison.Ordinal) + "[default: ".Length)..printed.LastIndexOf(']')];
        Assert.That(EmulatorCommandLine.Parse(["--bookmark-interval", value]).Error, Is.Null, value);
    }
}
