using Operator.Benchmarks;

namespace Operator.Tests.Benchmarks;

// The benchmark's command line (System.CommandLine): size and duration options keep the forms their help documents
// ("512Mi", "100Ki", "90s", "5m", "1500ms", "00:05:00"), read through the codebase's one quantity parser and one
// duration parser; a bad value is refused with a message naming the option, and the program exits 2 on it.
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
        Assert.That(BenchmarkOptions.Parse(["--noise-secret-size", text]).Noise.SecretBytes, Is.EqualTo(bytes));

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
    public void EveryExampleTheHelpShowsIsAccepted()
    {
        // The help's value names are the benchmark's documentation ("--steady-window <5m|65s>"): each example must parse.
        var checkedExamples = 0;
        foreach (var option in new BenchmarkCommandLine().Create().Options.Where(o => o.HelpName is not null && o.Name.StartsWith("--", StringComparison.Ordinal)))
        {
            var examples = option.Name == "--scenario" ? option.HelpName!.Split('|') : option.HelpName!.Split('|').Where(e => e.Any(char.IsDigit));
            foreach (var example in examples)
            {
                Assert.That(() => BenchmarkOptions.Parse([option.Name, example]), Throws.Nothing, $"{option.Name} {example}");
                checkedExamples++;
            }
        }

        Assert.That(checkedExamples, Is.GreaterThanOrEqualTo(19));
    }

    [Test]
    public void NoiseOptionsSetTheUnrelatedObjects()
    {
        Assert.That(BenchmarkOptions.Parse([]).NoiseBeforeRun, Is.False);
        var options = BenchmarkOptions.Parse(["--noise", "--noise-deployments", "20", "--noise-services", "30", "--noise-configmaps", "40", "--noise-secrets", "50", "--noise-secret-size", "1Ki"]);
        Assert.That(options.NoiseBeforeRun, Is.True);
        Assert.That(options.Noise, Is.EqualTo(new NoiseCounts(20, 30, 40, 50, 1024)));
        Assert.That(BenchmarkOptions.Parse([]).Noise, Is.EqualTo(new NoiseCounts(10_000, 10_000, 50_000, 10_000, 100 * 1024)));
    }

    [Test]
    public void BacklogIntervalReachesTheOperatorsSettings() =>
        Assert.That(BenchmarkOptions.Parse(["--scenario", "backlog", "--backlog-interval", "20s"]).OperatorSettings(), Does.Contain("--Operator:Backlog:Interval=00:00:20"));

    [Test]
    public void AllRunsEveryScenarioButBacklogAndSecretNoise()
    {
        var options = BenchmarkOptions.Parse(["--scenario", "all"]);
        Assert.That(options.Scenarios, Is.EquivalentTo(new[] { "cold", "ceiling", "steady", "update", "startup", "memory" }));
        Assert.That(BenchmarkOptions.Parse(["--scenario", "steady,backlog"]).Scenarios, Is.EquivalentTo(new[] { "steady", "backlog" }));
    }

    [TestCase(new[] { "--scenario", "cold,foo" }, "--scenario: unknown scenario 'foo'")]
    [TestCase(new[] { "--sizes", "100,x" }, "--sizes: 'x' in '100,x' is not a positive whole number")]
    [TestCase(new[] { "--repeat", "0" }, "--repeat must be positive")]
    [TestCase(new[] { "--redis-endpoints", "ten" }, "--redis-endpoints: 'ten' is not a whole number")]
    [TestCase(new[] { "--update-rate", "-1" }, "--update-rate must be positive")]
    [TestCase(new[] { "--concurrency" }, "Required argument missing for option: '--concurrency'")]
    [TestCase(new[] { "--no-such-option" }, "Unrecognized command or argument '--no-such-option'")]
    public void RefusesBadCommandLinesNamingTheProblem(string[] arguments, string message) =>
        Assert.That(() => BenchmarkOptions.Parse(arguments), Throws.ArgumentException.With.Message.StartsWith(message));

    [Test]
    public async Task TheProgramExitsWithTwoAndTheErrorOnABadValue()
    {
        var result = await RunBenchmarkAsync("--steady-window", "0s");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Output, Does.Contain("--steady-window must be positive").And.Contain("--help"));
    }

    [Test]
    public async Task TheProgramsHelpListsEveryOption()
    {
        var result = await RunBenchmarkAsync("--help");
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        foreach (var option in new BenchmarkCommandLine().Create().Options.Select(o => o.Name))
        {
            Assert.That(result.Output, Does.Contain(option));
        }
    }

    // The benchmark executable as built beside this test (a referenced Exe project brings its runtimeconfig).
    private static async Task<CommandResult> RunBenchmarkAsync(params string[] arguments) =>
        await LocalProcess.RunAsync("dotnet", [typeof(BenchmarkOptions).Assembly.Location, .. arguments], new Dictionary<string, string?>(), TestContext.CurrentContext.WorkDirectory, TimeSpan.FromMinutes(1), CancellationToken.None);
}
