// The options the installed Celery accepts, read from its own help output (`celery --help`,
// `celery SUBCOMMAND --help`): option names, and the choices of options that have a fixed set.
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Operator.IntegrationTests.Conformance;

/// <summary>One command's options as the installed Celery lists them.</summary>
internal sealed partial record CeleryHelp(string Command, string Text)
{
    private static readonly ConcurrentDictionary<string, CeleryHelp> Cache = new(StringComparer.Ordinal);

    /// <summary>Help of the top-level command (null) or of a sub-command.</summary>
    public static CeleryHelp For(string? subcommand) => Cache.GetOrAdd(subcommand ?? "", sub =>
    {
        string[] arguments = sub.Length == 0 ? ["-m", "celery", "--help"] : ["-m", "celery", sub, "--help"];
        var result = LocalProcess.RunAsync(LocalPrograms.Python, arguments, new Dictionary<string, string?>(), Path.GetTempPath(), TimeSpan.FromSeconds(60), CancellationToken.None)
            .GetAwaiter().GetResult();
        Assert.That(result.Succeeded, Is.True, $"celery {sub} --help: {result}");
        return new CeleryHelp(sub.Length == 0 ? "celery" : "celery " + sub, result.Output);
    });

    public bool HasOption(string option) => Regex.IsMatch(Text, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])");

    /// <summary>The allowed values when the help shows `--option [A|B|C]`, else null.</summary>
    public IReadOnlyList<string>? Choices(string option)
    {
        var match = Regex.Match(Text, $@"(?<![\w-]){Regex.Escape(option)}\s+\[(?<choices>[A-Za-z0-9_|]+)\]");
        return match.Success ? match.Groups["choices"].Value.Split('|') : null;
    }
}
