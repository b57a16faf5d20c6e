using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Operator.Runtime.Hosting;

namespace Operator.Cli;

/// <summary>
/// The operator's --help: System.CommandLine's usage of the command asked about, and for the operator itself (no
/// command) every setting the host binds, read from the settings records so the listing cannot drift.
/// </summary>
internal sealed class SettingsHelpAction(Command root, HelpAction usage) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exit = usage.Invoke(parseResult);
        if (parseResult.CommandResult.Command == root)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.Write(SettingsUsage.Write(Celery.CeleryControllerModule.ConfigurationSections));
        }

        return exit;
    }
}
