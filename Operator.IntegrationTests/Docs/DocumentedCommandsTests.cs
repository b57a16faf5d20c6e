// "Docs are executable": the commands README.md and docs/*.md give, run exactly as written (through bash, from the
// repository root), must succeed and print what they promise. Only commands that are cheap and need no cluster
// are run here (render, crd, --help of the operator, the emulator and the benchmarks); the others are listed in the
// test output.
// A command is taken from a fenced block without a language or marked sh, one per line with '\' continuations
// joined, and from inline code that starts with "dotnet run".
using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Docs;

public sealed partial class DocumentedCommandsTests
{
    /// <summary>
    /// What each offline command must print: a pattern it is recognised by, and text the end of its output must hold
    /// (only the last few hundred lines of a process are kept).
    /// </summary>
    private static readonly (Regex Command, string Expected)[] Offline =
    [
        (new Regex(@"^dotnet run --project Operator -- render -f \S+$"), "app.kubernetes.io/managed-by: celery-operator"),
        (new Regex(@"^dotnet run --project Operator -- crd$"), "storage: true"),
        (new Regex(@"^dotnet run --project Operator -- --help$"), "OPERATOR__METRICS__SECURE"),
        (new Regex(@"^dotnet run --project Operator\.Emulator -- --help$"), "--kubeconfig <PATH>"),
        (new Regex(@"^dotnet run --project Operator\.Benchmarks -c Release -- --help$"), "--noise-configmaps"),
    ];

    private static IEnumerable<string> DocumentFiles() =>
        new[] { RepositoryRoot.File("README.md") }.Concat(Directory.GetFiles(RepositoryRoot.File("docs"), "*.md").Order(StringComparer.Ordinal));

    /// <summary>Every command the documents give, with the file it is in.</summary>
    internal static IEnumerable<(string File, string Command)> Commands()
    {
        foreach (var file in DocumentFiles())
        {
            var name = Path.GetRelativePath(RepositoryRoot.Path, file);
            var text = File.ReadAllText(file);
            foreach (var line in CommandLines(text))
            {
                yield return (name, line);
            }

            foreach (Match inline in InlineDotnetRun().Matches(text))
            {
                yield return (name, inline.Groups["command"].Value);
            }
        }
    }

    /// <summary>The lines of fenced blocks without a language or marked sh, continuations joined, comments dropped.</summary>
    private static IEnumerable<string> CommandLines(string markdown)
    {
        string? language = null;
        var pending = "";
        foreach (var raw in markdown.Split('\n'))
        {
            if (raw.StartsWith("```", StringComparison.Ordinal))
            {
                language = language is null ? raw[3..].Trim() : null;
                continue;
            }

            if (language is not ("" or "sh"))
            {
                continue;
            }

            var line = raw.Trim();
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }

            line = Regex.Replace(pending + line, " +", " ");
            pending = "";
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                yield return line;
            }
        }
    }

    [Test]
    public async Task EveryOfflineCommandInTheDocsRunsAsWrittenFromTheRepositoryRoot()
    {
        var commands = Commands().Distinct().ToList();
        var runnable = commands.Where(c => Offline.Any(o => o.Command.IsMatch(c.Command))).ToList();
        TestContext.Out.WriteLine("Not run here (need a cluster, Docker, Helm charts or a long time):");
        foreach (var (file, command) in commands.Except(runnable))
        {
            TestContext.Out.WriteLine($"  {file}: {command}");
        }

        // The README's own offline commands must be among them, so a reformatted README cannot pass by running nothing.
        Assert.That(runnable.Select(c => c.Command), Does.Contain("dotnet run --project Operator -- render -f deploy/samples/redis-keda.yaml").And.Contain("dotnet run --project Operator -- crd"));
        foreach (var (file, command) in runnable.DistinctBy(c => c.Command))
        {
            var expected = Offline.First(o => o.Command.IsMatch(command)).Expected;
            var result = await LocalProcess.RunAsync("bash", ["-c", command], Environment(), RepositoryRoot.Path, TimeSpan.FromMinutes(5), CancellationToken.None);
            TestContext.Out.WriteLine($"ran {file}: {command} -> {(result.TimedOut ? "timed out" : "exit " + result.ExitCode)}");
            Assert.Multiple(() =>
            {
                Assert.That(result.ExitCode, Is.Zero, $"{file}: {command}\n{result.Output}");
                Assert.That(result.Output, Does.Contain(expected), $"{file}: {command}");
            });
        }
    }

    /// <summary>
    /// The emulator and benchmark commands the documents give need a long run or a free port, so they are not run;
    /// their arguments are read by the programs' own command-line parsers instead, so a documented size ("512Mi"),
    /// duration ("65s", "20m") or option the parser no longer accepts fails here.
    /// </summary>
    [Test]
    public void EveryEmulatorAndBenchmarkCommandInTheDocsIsAcceptedByItsProgramsParser()
    {
        var parsed = 0;
        foreach (var (file, command) in Commands().Distinct())
        {
            var match = ProgramCommand().Match(command);
            if (!match.Success)
            {
                continue;
            }

            var arguments = match.Groups["arguments"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (match.Groups["program"].Value == "Emulator")
            {
                Assert.That(Operator.Emulator.Hosting.EmulatorCommandLine.Parse(arguments).Error, Is.Null, $"{file}: {command}");
            }
            else
            {
                // --log-dir creates its folder while parsing; no documented command gives it.
                Assert.That(arguments, Does.Not.Contain("--log-dir"), $"{file}: {command}");
                Assert.That(() => Operator.Benchmarks.BenchmarkOptions.Parse(arguments), Throws.Nothing, $"{file}: {command}");
            }

            parsed++;
        }

        Assert.That(parsed, Is.GreaterThanOrEqualTo(6), "the documents' emulator and benchmark commands were not found");
    }

    /// <summary>The test host's own MSBuild and test-platform variables would steer the nested `dotnet run`; a user has none.</summary>
    private static Dictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k is "DOTNET_HOST_PATH")
            .ToDictionary(k => k, _ => (string?)null);

    [GeneratedRegex(@"^dotnet run --project Operator\.(?<program>Emulator|Benchmarks)(?: -c Release)? -- (?<arguments>.+?)(?: *&)?$")]
    private static partial Regex ProgramCommand();

    [GeneratedRegex(@"`(?<command>dotnet run [^`]+)`")]
    private static partial Regex InlineDotnetRun();
}
