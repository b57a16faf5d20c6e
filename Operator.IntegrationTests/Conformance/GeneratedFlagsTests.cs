// Every flag the operator generates for worker and beat containers exists in the installed Celery, and a flag
// Celery lacks is rejected before anything starts (the behaviour docs/celery-compatibility.md describes for
// flags an image's Celery version does not have).
using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Conformance;

[Category(ConformanceCategory.Name)]
public sealed partial class GeneratedFlagsTests
{
    private static readonly HashSet<string> CeleryRunSubcommands = ["worker", "beat"];

    public static IEnumerable<string> Samples => OfflineRender.Samples;

    [OneTimeSetUp]
    public void RequireCelery() => LocalPrograms.RequireCelery();

    [TestCaseSource(nameof(Samples))]
    public void EveryGeneratedFlagExistsInInstalledCelery(string sample) => AssertFlagsExist(OfflineRender.Sample(sample));

    [Test]
    public void EveryFlagOfTheDocumentedExampleExistsInInstalledCelery() => AssertFlagsExist(OfflineRender.Yaml(RecommendedProbes.ResourceYaml()));

    [Test]
    public async Task UnknownFlagIsRejectedBeforeTheWorkerStarts()
    {
        var result = await LocalProcess.RunAsync(LocalPrograms.Python, ["-m", "celery", "worker", "--no-such-flag=1"], new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), "click's usage error status");
            Assert.That(result.Output, Does.Contain("No such option"));
        });
    }

    private static void AssertFlagsExist(RenderedCelery rendered)
    {
        var containers = rendered.Containers().ToList();
        Assert.That(containers, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (deployment, container) in containers)
            {
                AssertContainerFlags(deployment, container);
            }
        });
    }

    private static void AssertContainerFlags(string deployment, V1Container container)
    {
        Assert.That(container.Command, Is.EqualTo(new[] { "celery" }), $"{deployment}: celery runs as PID 1 in exec form");
        var args = container.Args.ToList();
        var subcommandAt = args.FindIndex(a => !a.StartsWith('-'));
        Assert.That(subcommandAt, Is.GreaterThanOrEqualTo(0), $"{deployment}: no sub-command in {string.Join(' ', args)}");
        var subcommand = args[subcommandAt];
        AssertOptions(deployment, CeleryHelp.For(null), args[..subcommandAt]);
        if (CeleryRunSubcommands.Contains(subcommand))
        {
            AssertOptions(deployment, CeleryHelp.For(subcommand), args[(subcommandAt + 1)..]);
        }
        else
        {
            // `celery flower` is Flower's sub-command; FlowerCommandTests checks its options.
            Assert.That(subcommand, Is.EqualTo("flower"), $"{deployment}: unexpected sub-command");
        }
    }

    private static void AssertOptions(string deployment, CeleryHelp help, IEnumerable<string> args)
    {
        foreach (var arg in args)
        {
            var match = OptionPattern().Match(arg);
            Assert.That(match.Success, Is.True, $"{deployment}: '{arg}' is not a --name[=value] or -Xvalue option");
            var option = match.Groups["name"].Value;
            Assert.That(help.HasOption(option), Is.True, $"{deployment}: {help.Command} has no option {option}");
            if (match.Groups["value"].Success && help.Choices(option) is { } choices)
            {
                Assert.That(choices, Does.Contain(match.Groups["value"].Value), $"{deployment}: {option} value");
            }
        }
    }

    // Long options as --name[=value]; a short option only with its value attached (-Ofair: -O has no long form).
    [GeneratedRegex("^(?:(?<name>--[a-z][a-z0-9-]*)(=(?<value>.*))?|(?<name>-[A-Za-z])(?<value>.+))$")]
    private static partial Regex OptionPattern();
}
