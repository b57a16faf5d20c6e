using Operator.Celery.Crd;

namespace Operator.Cli;

/// <summary><c>crd [-o FILE]</c>: prints (or writes) the Celery CRD generated from the model.</summary>
internal static class CrdCommand
{
    public const string Usage = "crd [--reference] [-o FILE]  print the Celery CRD (or with --reference its Markdown field reference) generated from the model";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? output = null;
        var reference = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-o" or "--output" when i + 1 < args.Count: output = args[++i]; break;
                case "--reference": reference = true; break;
                default:
                    await stderr.WriteLineAsync($"crd: unexpected argument '{args[i]}'\nusage: {Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        var yaml = reference ? CeleryCustomResourceDefinition.ToReferenceMarkdown() : CeleryCustomResourceDefinition.ToYaml();
        if (output is null)
        {
            await stdout.WriteAsync(yaml).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(output, yaml).ConfigureAwait(false);
        }

        return 0;
    }
}
