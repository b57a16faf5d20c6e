using System.CommandLine;
using Operator.Celery.Crd;

namespace Operator.Cli;

/// <summary><c>crd [--reference] [-o FILE]</c>: prints (or writes) the Celery CRD, or its field reference, generated from the model.</summary>
internal static class CrdCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "write to FILE instead of standard output", HelpName = "FILE" };
        var reference = new Option<bool>("--reference") { Description = "the Markdown field reference instead of the CRD", Arity = ArgumentArity.Zero };
        var command = new Command("crd", "print the Celery CRD (or with --reference its Markdown field reference) generated from the model") { reference, output };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(reference), parseResult.GetValue(output), parseResult.InvocationConfiguration.Output, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(bool reference, string? output, TextWriter stdout, CancellationToken cancellationToken)
    {
        var yaml = reference ? CeleryCustomResourceDefinition.ToReferenceMarkdown() : CeleryCustomResourceDefinition.ToYaml();
        if (output is null)
        {
            await stdout.WriteAsync(yaml).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(output, yaml, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
