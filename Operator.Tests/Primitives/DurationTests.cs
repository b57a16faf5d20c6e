using Operator.Primitives;

namespace Operator.Tests.Primitives;

public sealed class DurationTests
{
    private static IEnumerable<TestCaseData> ValidDurations()
    {
        yield return new TestCaseData("250ms", TimeSpan.FromMilliseconds(250));
        yield return new TestCaseData("1500ms", TimeSpan.FromMilliseconds(1500));
        yield return new TestCaseData("90s", TimeSpan.FromSeconds(90));
        yield return new TestCaseData("1.5s", TimeSpan.FromMilliseconds(1500));
        yield return new TestCaseData("5m", TimeSpan.FromMinutes(5));
        yield return new TestCaseData("1h", TimeSpan.FromHours(1));
        yield return new TestCaseData("30", TimeSpan.FromSeconds(30));
        yield return new TestCaseData("0", TimeSpan.Zero);
        yield return new TestCaseData("0s", TimeSpan.Zero);
        yield return new TestCaseData("1e2s", TimeSpan.FromSeconds(100));
        yield return new TestCaseData("00:05:00", TimeSpan.FromMinutes(5));
        yield return new TestCaseData("00:01:00", TimeSpan.FromMinutes(1));
        yield return new TestCaseData("1.02:00:00", TimeSpan.FromHours(26));
        yield return new TestCaseData("1:30", TimeSpan.FromMinutes(90));
        yield return new TestCaseData("00:00:00.250", TimeSpan.FromMilliseconds(250));
    }

    [TestCaseSource(nameof(ValidDurations))]
    public void ReadsDurations(string text, TimeSpan expected)
    {
        Assert.That(Duration.TryParse(text, out var duration), Is.True, text);
        Assert.That(duration, Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("s")]
    [TestCase("ms")]
    [TestCase("5x")]
    [TestCase("5 s")]
    [TestCase("5S")]
    [TestCase("5d")]
    [TestCase("1,5s")]
    [TestCase("-1s")]
    [TestCase("-00:00:01")]
    [TestCase("NaN")]
    [TestCase("Infinitys")]
    [TestCase("1e300h")]
    [TestCase("99:99:99")]
    [TestCase("5m30s")]
    public void RefusesWhatIsNoDuration(string text) => Assert.That(Duration.TryParse(text, out _), Is.False, text);

    [Test]
    public void TheLongestDurationThatFitsIsRead() =>
        Assert.That(Duration.TryParse("10675199.00:00:00", out var duration) && duration == TimeSpan.FromDays(10675199), Is.True);

    [Test]
    public void ParseNamesTheOptionAndTheSyntaxWhenTheTextIsNoDuration() =>
        Assert.That(
            () => Duration.Parse("5x", "--timeout"),
            Throws.TypeOf<FormatException>().With.Message.EqualTo("--timeout: '5x' is not a duration; write a number with ms, s, m or h (250ms, 90s, 5m, 1h), a number of seconds, or hh:mm:ss"));
}
