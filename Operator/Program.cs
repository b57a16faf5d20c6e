using Operator.Celery;
using Operator.Cli;
using Operator.Runtime.Hosting;

// Offline commands (render, crd) never touch a cluster; everything else runs the operator.
if (CliCommands.IsCommand(args))
{
    return await CliCommands.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
}

if (CliCommands.AsksForHelp(args))
{
    return await CliCommands.RunAsync(["--help"], Console.Out, Console.Error).ConfigureAwait(false);
}

return await OperatorHost.RunAsync(args, CeleryControllerModule.Register).ConfigureAwait(false);
