using Operator.Benchmarks;

namespace Operator.Tests.Benchmarks;

// The benchmark's size and duration options keep the forms their usage documents ("512Mi", "100Ki", "90s", "5m",
// "1500ms", "00:05:00"), read through the codebase's one quantity parser and one duration parser.
public sealed class BenchmarkOptionsTests
{
    [TestCase("512Mi", 536870912L)]
    [TestCase("2Gi", 2147483648L)]
    [TestCase("1G", 1000000000L)]
    [TestCase("268435456", 268435456L)]
    public void MemoryLimitReadsQuantities(string text, long bytes)
    {
        var options = BenchmarkOptions.Parse(["--memory-limit", text]);
        Assert.That(options.MemoryLimit, Is.EqualTo(bytes));
        Assert.That(options.OperatorEnvironment()["DOTNET_GCTotalPhysicalMemory"], Is.EqualTo(bytes.ToString("X", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("100Ki", 102400L)]
    [TestCase("1Mi", 1048576L)]
    [TestCase("4096", 4096L)]
    public void NoiseSecretSizeReadsQuantities(string text, long bytes) =>
        Assert.That(BenchmarkOptions.Parse(["--noise-secret-size", text]).NoiseSecretBytes, Is.EqualTo(bytes));

    [TestCase("--memory-limit", "512MB", "--memory-limit: '512MB' is not a quantity")]
    [TestCase("--memory-limit", "0", "--memory-limit must be positive")]
    [TestCase("--noise-secret-size", "-1Ki", "--noise-secret-size: '-1Ki' is not a whole number of bytes")]
    [TestCase("--noise-secret-size", "1.5", "--noise-secret-size: '1.5' is not a whole number of bytes")]
    public void RefusesBadSizesNamingTheOption(string option, string text, string message) =>
        Assert.That(() => BenchmarkOptions.Parse([option, text]), Throws.InstanceOf<Exception>().With.Message.StartsWith(message));

    private static IEnumerable<TestCaseData> Durations()
    {
        foreach (var option in new[] { "--steady-window", "--deployment-delay", "--timeout", "--hold" })
        {
            yield return new TestCaseData(option, "90s", TimeSpan.FromSeconds(90));
            yield return new TestCaseData(option, "5m", TimeSpan.FromMinutes(5));
            yield return new TestCaseData(option, "1500ms", TimeSpan.FromMilliseconds(1500));
            yield return new TestCaseData(option, "00:05:00", TimeSpan.FromMinutes(5));
            yield return new TestCaseData(option, "1h", TimeSpan.FromHours(1));
        }
    }

    [TestCaseSource(nameof(Durations))]
    public void DurationOptionsReadEveryDocumentedForm(string option, string text, TimeSpan expected)
    {
        var options = BenchmarkOptions.Parse([option, text]);
        var read = option switch
        {
            "--steady-window" => options.SteadyWindow,
            "--deployment-delay" => options.DeploymentDelay,
            "--timeout" => options.Timeout,
            _ => options.Hold,
        };
        Assert.That(read, Is.EqualTo(expected));
    }

    [TestCase("--timeout", "0s", "--timeout must be positive")]
    [TestCase("--hold", "soon", "--hold: 'soon' is not a duration; write a number with ms, s, m or h")]
    [TestCase("--steady-window", "-5m", "--steady-window: '-5m' is not a duration")]
    public void RefusesBadDurationsNamingTheOption(string option, string text, string message) =>
        Assert.That(() => BenchmarkOptions.Parse([option, text]), Throws.InstanceOf<Exception>().With.Message.StartsWith(message));

    [Test]
    public void EveryValueTheUsageShowsIsAccepted()
    {
        // The usage line is the benchmark's documentation: each "--option value" example in it must parse.
        var words = BenchmarkOptions.Usage.Replace("[", " ", StringComparison.Ordinal).Replace("]", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var checkedExamples = 0;
        for (var i = 0; i + 1 < words.Length; i++)
        {
            if (words[i] is "--steady-window" or "--deployment-delay" or "--timeout" or "--hold" or "--memory-limit" or "--noise-secret-size")
            {
                foreach (var example in words[i + 1].Split('|'))
                {
                    Assert.That(() => BenchmarkOptions.Parse([words[i], example]), Throws.Nothing, $"{words[i]} {example}");
                    checkedExamples++;
                }
            }
        }

        Assert.That(checkedExamples, Is.GreaterThanOrEqualTo(7));
    }
}
